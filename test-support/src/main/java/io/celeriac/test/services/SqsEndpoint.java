package io.celeriac.test.services;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a test's SQS-compatible server answers: ElasticMQ started inside the test JVM, or
 * the server in {@code CELERIAC_TEST_SQS_URL}.
 *
 * @param url the endpoint URL, e.g. {@code http://127.0.0.1:41234}
 * @param region the region the server reports
 * @param accessKeyId the access key id (any for ElasticMQ)
 * @param secretAccessKey the secret access key (any for ElasticMQ)
 * @author Celeriac team
 */
public record SqsEndpoint(String url, String region, String accessKeyId, String secretAccessKey) {

	/**
	 * Returns an SQS client of the AWS SDK for this endpoint.
	 * @return a new client, to be closed by the caller
	 */
	public SqsClient client() {
		return SqsClient.builder()
			.endpointOverride(URI.create(this.url))
			.region(Region.of(this.region))
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(this.accessKeyId, this.secretAccessKey)))
			.build();
	}

	/**
	 * Returns the port of the endpoint.
	 * @return the port
	 */
	public int port() {
		return URI.create(this.url).getPort();
	}

	/**
	 * Returns the host of the endpoint.
	 * @return the host
	 */
	public String host() {
		return URI.create(this.url).getHost();
	}

}

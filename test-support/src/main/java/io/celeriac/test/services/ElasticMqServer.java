package io.celeriac.test.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * Starts ElasticMQ, an SQS-compatible server, inside the test JVM on a free port of
 * 127.0.0.1. Only loaded when a test asks for SQS, so the ElasticMQ jar (and its Pekko
 * and Scala) is optional.
 *
 * @author Celeriac team
 */
final class ElasticMqServer {

	static final String REGION = "elasticmq";

	private ElasticMqServer() {
	}

	static Resolved<SqsEndpoint> start() {
		int port = freePort();
		// the queue URLs that ElasticMQ hands out carry this address: Python's kombu
		// sends to them
		SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
			.withPort(port)
			.withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
			.withAWSRegion(REGION)
			.start();
		server.waitUntilStarted();
		SqsEndpoint endpoint = new SqsEndpoint("http://127.0.0.1:" + port, REGION, "celeriac", "celeriac");
		return new Resolved<>(endpoint, server::stopAndWait);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port for ElasticMQ", ex);
		}
	}

}

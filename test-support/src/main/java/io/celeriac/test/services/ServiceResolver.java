package io.celeriac.test.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Finds each test server: the URL in its environment variable if set, else a container
 * where a Docker engine answers, else the server on 127.0.0.1. Fails with a message that
 * names the missing server and how to start it. SQS is ElasticMQ inside the test JVM
 * unless {@code CELERIAC_TEST_SQS_URL} names another server.
 *
 * @author Celeriac team
 */
final class ServiceResolver {

	private static final int CONNECT_TIMEOUT_MILLIS = 2000;

	private final Map<String, String> environment;

	private final boolean dockerAvailable;

	ServiceResolver(Map<String, String> environment, boolean dockerAvailable) {
		this.environment = environment;
		this.dockerAvailable = dockerAvailable;
	}

	Resolved<RedisEndpoint> redis() {
		String url = configured(TestService.REDIS);
		if (url == null && this.dockerAvailable) {
			return ContainerServices.redis();
		}
		URI uri = URI.create((url != null) ? url : TestService.REDIS.localUrl());
		RedisEndpoint endpoint = new RedisEndpoint(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 6379);
		return reachable(TestService.REDIS, url, endpoint.host(), endpoint.port(), endpoint);
	}

	Resolved<RabbitEndpoint> rabbit() {
		String url = configured(TestService.RABBITMQ);
		if (url == null && this.dockerAvailable) {
			return ContainerServices.rabbit();
		}
		URI uri = URI.create((url != null) ? url : TestService.RABBITMQ.localUrl());
		String username = "guest";
		String password = "guest";
		if (uri.getRawUserInfo() != null) {
			String[] parts = uri.getRawUserInfo().split(":", 2);
			username = decode(parts[0]);
			password = (parts.length > 1) ? decode(parts[1]) : "";
		}
		String path = uri.getRawPath();
		String virtualHost = (path == null || path.isEmpty() || path.equals("/")) ? "/" : decode(path.substring(1));
		RabbitEndpoint endpoint = new RabbitEndpoint(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 5672,
				username, password, virtualHost);
		return reachable(TestService.RABBITMQ, url, endpoint.host(), endpoint.port(), endpoint);
	}

	Resolved<PostgresEndpoint> postgres() {
		String url = configured(TestService.POSTGRES);
		if (url == null && this.dockerAvailable) {
			return ContainerServices.postgres();
		}
		String jdbcUrl = (url != null) ? url : TestService.POSTGRES.localUrl();
		URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
		PostgresEndpoint endpoint = new PostgresEndpoint(jdbcUrl,
				this.environment.getOrDefault("CELERIAC_TEST_POSTGRES_USER", "postgres"),
				this.environment.getOrDefault("CELERIAC_TEST_POSTGRES_PASSWORD", ""));
		return reachable(TestService.POSTGRES, url, uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 5432,
				endpoint);
	}

	Resolved<SqsEndpoint> sqs() {
		String url = this.environment.get("CELERIAC_TEST_SQS_URL");
		if (url == null || url.isBlank()) {
			return ElasticMqServer.start();
		}
		return Resolved.running(new SqsEndpoint(url.trim(), this.environment.getOrDefault("AWS_REGION", "us-east-1"),
				this.environment.getOrDefault("AWS_ACCESS_KEY_ID", "celeriac"),
				this.environment.getOrDefault("AWS_SECRET_ACCESS_KEY", "celeriac")));
	}

	private @Nullable String configured(TestService service) {
		String value = this.environment.get(service.environmentVariable());
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private <E> Resolved<E> reachable(TestService service, @Nullable String configuredUrl, String host, int port,
			E endpoint) {
		Objects.requireNonNull(host, () -> "No host in the URL of " + service.environmentVariable());
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
			return Resolved.running(endpoint);
		}
		catch (IOException ex) {
			String where = (configuredUrl != null) ? service.environmentVariable() + "=" + configuredUrl
					: "no Docker engine answers and nothing listens on 127.0.0.1:" + port;
			throw new ServiceUnavailableException(
					service.unavailableMessage(where + " (" + host + ":" + port + ": " + ex.getMessage() + ")"));
		}
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

}

package io.celeriac.test.services;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ServiceResolver}, without Docker.
 *
 * @author Celeriac team
 */
class ServiceResolverTests {

	@Test
	void environmentVariablePointsAtAnotherServer() throws IOException {
		try (ServerSocket listening = new ServerSocket(0)) {
			int port = listening.getLocalPort();
			ServiceResolver resolver = new ServiceResolver(
					Map.of("CELERIAC_TEST_RABBITMQ_URL", "amqp://app:s%40cret@127.0.0.1:" + port + "/tenant%2Fa"),
					false);
			RabbitEndpoint endpoint = resolver.rabbit().endpoint();
			assertThat(endpoint).isEqualTo(new RabbitEndpoint("127.0.0.1", port, "app", "s@cret", "tenant/a"));
		}
	}

	@Test
	void postgresUserComesFromItsOwnVariable() throws IOException {
		try (ServerSocket listening = new ServerSocket(0)) {
			String url = "jdbc:postgresql://127.0.0.1:" + listening.getLocalPort() + "/app";
			ServiceResolver resolver = new ServiceResolver(Map.of("CELERIAC_TEST_POSTGRES_URL", url,
					"CELERIAC_TEST_POSTGRES_USER", "tester", "CELERIAC_TEST_POSTGRES_PASSWORD", "pw"), false);
			assertThat(resolver.postgres().endpoint()).isEqualTo(new PostgresEndpoint(url, "tester", "pw"));
		}
	}

	@Test
	void unreachableServerFailsNamingItAndHowToStartIt() throws IOException {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		ServiceResolver resolver = new ServiceResolver(Map.of("CELERIAC_TEST_REDIS_URL", "redis://127.0.0.1:" + port),
				false);
		assertThatExceptionOfType(ServiceUnavailableException.class).isThrownBy(resolver::redis)
			.withMessageStartingWith("Redis is needed by this test but none could be found")
			.withMessageContaining("CELERIAC_TEST_REDIS_URL=redis://127.0.0.1:" + port)
			.withMessageContaining("redis-server --daemonize yes")
			.withMessageContaining("bash .ci/run");
	}

	@Test
	void withoutVariableOrDockerTheLocalServerIsUsed() {
		ServiceResolver resolver = new ServiceResolver(Map.of(), false);
		assertThat(resolver.redis().endpoint()).isEqualTo(new RedisEndpoint("127.0.0.1", 6379));
		assertThat(resolver.rabbit().endpoint())
			.isEqualTo(new RabbitEndpoint("127.0.0.1", 5672, "guest", "guest", "/"));
		assertThat(resolver.postgres().endpoint())
			.isEqualTo(new PostgresEndpoint("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", ""));
	}

}

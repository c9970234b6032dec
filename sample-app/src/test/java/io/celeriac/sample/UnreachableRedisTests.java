package io.celeriac.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code @Locked} and {@code @Limited} endpoints on a Redis that cannot be
 * reached (a loopback port where nothing listens): each answers 503 with the reason,
 * within its timeout plus 500 ms.
 *
 * @author Celeriac team
 */
class UnreachableRedisTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Test
	void aLockOrLimiterThatCannotBeReachedAnswers503WithTheReason() throws IOException {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
				"--server.port=0", "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + closedPort(),
				"--celeriac.lock.type=redis", "--celeriac.limiter.type=redis", "--celeriac.cache.type=memory",
				"--celeriac.scheduler.type=memory", "--celeriac.registry.type=memory")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			RestClient client = RestClient.builder()
				.baseUrl("http://127.0.0.1:" + port)
				.defaultStatusHandler((status) -> true, (request, response) -> {
				})
				.build();
			long start = System.nanoTime();
			ResponseEntity<Map<String, Object>> settle = client.post()
				.uri("/invoices/1/settle")
				.retrieve()
				.toEntity(JSON);
			Duration settleTook = Duration.ofNanos(System.nanoTime() - start);
			assertThat(settle.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(settle.getBody()).containsEntry("title", "Lock unavailable")
				.hasEntrySatisfying("detail",
						(detail) -> assertThat((String) detail).contains("Could not acquire lock 'invoice:1'")
							.contains("Redis"));
			assertThat(settleTook).isLessThanOrEqualTo(Duration.ofMillis(2500));
			start = System.nanoTime();
			ResponseEntity<Map<String, Object>> quote = client.get().uri("/partner/quote/a").retrieve().toEntity(JSON);
			Duration quoteTook = Duration.ofNanos(System.nanoTime() - start);
			assertThat(quote.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(quote.getBody()).containsEntry("title", "Limiter unavailable")
				.hasEntrySatisfying("detail",
						(detail) -> assertThat((String) detail).contains("limiter 'partner-api'"));
			assertThat(quoteTook).isLessThanOrEqualTo(Duration.ofMillis(1500));
			System.out.printf("Unreachable Redis: settle answered 503 in %d ms, quote in %d ms%n",
					settleTook.toMillis(), quoteTook.toMillis());
		}
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

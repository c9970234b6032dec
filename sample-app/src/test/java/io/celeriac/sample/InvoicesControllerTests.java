package io.celeriac.sample;

import java.time.Duration;
import java.util.Map;

import io.celeriac.limit.Limiter;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.Permit;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Calls the sample's {@code @Locked} and {@code @Limited} endpoints on the in-memory
 * default.
 *
 * @author Celeriac team
 */
class InvoicesControllerTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Test
	void settlementsAreLockedPerInvoiceAndQuotesAreLimited() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			RestClient client = RestClient.create("http://127.0.0.1:" + port);
			assertThat(client.post().uri("/invoices/1/settle").retrieve().body(JSON)).containsEntry("settled", true);
			try (HeldLock held = context.getBean(DistributedLock.class)
				.acquire("invoice:2", Duration.ofMinutes(1), Duration.ZERO)) {
				assertThatExceptionOfType(HttpServerErrorException.class)
					.isThrownBy(() -> client.post().uri("/invoices/2/settle").retrieve().body(JSON));
			}
			assertThat(client.get().uri("/partner/quote/a").retrieve().body(JSON)).containsEntry("price", 42);
			Limiter limiter = context.getBean(Limiters.class).limiter("partner-api");
			try (Permit first = limiter.tryAcquire("x").orElseThrow();
					Permit second = limiter.tryAcquire("y").orElseThrow()) {
				assertThatExceptionOfType(HttpServerErrorException.class)
					.isThrownBy(() -> client.get().uri("/partner/quote/b").retrieve().body(JSON));
			}
		}
	}

}

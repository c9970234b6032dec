package io.celeriac.sample;

import java.util.Map;

import io.celeriac.worker.TaskWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the sample as its README says and checks what protects its open dashboard: it
 * listens on the loopback interface, says at startup that the dashboard is open, refuses
 * a cross-site form post over real HTTP while its own pages' same-origin JSON requests
 * pass, and its Actuator endpoint refuses an error queue that is not of its topology and
 * a cross-site form post.
 *
 * @author Celeriac team
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleDashboardAccessTests {

	@Test
	void theSampleListensOnTheLoopbackAndWarnsThatItsDashboardIsOpen(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
			assertThat(output).containsPattern("WARN .*The Celeriac dashboard at /celeriac/ is open to anyone");
		}
	}

	@Test
	void aCrossSiteFormPostIsRefusedAndASameOriginJsonRequestPasses() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			String origin = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			RestClient client = RestClient.create(origin);
			ResponseEntity<String> refused = client.post()
				.uri("/celeriac/api/error-queues/dev-sample.error/discard-all")
				.header("Origin", "https://evil.example")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body("confirm=yes")
				.retrieve()
				.onStatus((status) -> true, (request, response) -> {
				})
				.toEntity(String.class);
			assertThat(refused.getStatusCode().value()).isEqualTo(403);
			assertThat(refused.getBody()).contains("cross-site", "Origin: https://evil.example", origin);

			ResponseEntity<String> passed = client.post()
				.uri("/celeriac/api/error-queues/dev-sample.error/discard-all")
				.header("Origin", origin)
				.header("Sec-Fetch-Site", "same-origin")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{}")
				.retrieve()
				.toEntity(String.class);
			assertThat(passed.getStatusCode().value()).isEqualTo(200);
			assertThat(passed.getBody()).contains("\"action\":\"discard-all\"");
		}
	}

	@Test
	void theEndpointRefusesAnErrorQueueThatIsNotOfTheSamplesTopology(CapturedOutput output) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			ResponseEntity<String> refused = RestClient.create("http://127.0.0.1:" + port)
				.post()
				.uri("/actuator/celeriac/discard")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("queue", "dev-billing.error"))
				.retrieve()
				.onStatus((status) -> true, (request, response) -> {
				})
				.toEntity(String.class);
			assertThat(refused.getStatusCode().value()).isEqualTo(400);
			assertThat(output).containsPattern("WARN .*Refused a celeriac endpoint operation: 'dev-billing.error' is "
					+ "not an error queue of this application's topology");
		}
	}

	@Test
	void theEndpointRefusesACrossSiteFormPost() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			ResponseEntity<String> answer = RestClient.create("http://127.0.0.1:" + port)
				.post()
				.uri("/actuator/celeriac/pause")
				.header("Origin", "https://evil.example")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.retrieve()
				.onStatus((status) -> true, (request, response) -> {
				})
				.toEntity(String.class);
			// Actuator's write operations take JSON only, which a cross-site form cannot
			// send
			assertThat(answer.getStatusCode().value()).isEqualTo(415);
			assertThat(context.getBean(TaskWorker.class).isRunning()).isTrue();
		}
	}

}

package io.celeriac.sample;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample exposes the {@code celeriac} Actuator endpoint and the {@code celeriac}
 * health component over HTTP, and its pause and resume operations work there.
 *
 * @author Celeriac team
 */
class CeleriacEndpointSampleTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Test
	@SuppressWarnings("unchecked")
	void theEndpointDescribesCeleriacAndPausesAndResumesTheWorker() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			RestClient client = RestClient.create("http://127.0.0.1:" + port);
			Map<String, Object> celeriac = client.get().uri("/actuator/celeriac").retrieve().body(JSON);
			Map<String, Object> topology = (Map<String, Object>) celeriac.get("topology");
			assertThat(topology).containsEntry("queueNamePrefix", "dev-");
			assertThat((List<Map<String, Object>>) topology.get("queues")).isNotEmpty()
				.allSatisfy((queue) -> assertThat(queue).containsEntry("exists", true)
					.containsEntry("errorQueueExists", true));
			assertThat((List<String>) celeriac.get("tasks")).contains("sample.add");
			assertThat(celeriac.get("worker")).isEqualTo(Map.of("running", true));

			Map<String, Object> paused = client.post()
				.uri("/actuator/celeriac/pause")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{}")
				.retrieve()
				.body(JSON);
			assertThat(paused).containsEntry("operation", "pause").containsEntry("running", false);
			Map<String, Object> resumed = client.post()
				.uri("/actuator/celeriac/resume")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{}")
				.retrieve()
				.body(JSON);
			assertThat(resumed).containsEntry("running", true);

			Map<String, Object> health = client.get().uri("/actuator/health").retrieve().body(JSON);
			Map<String, Object> components = (Map<String, Object>) health.get("components");
			assertThat((Map<String, Object>) components.get("celeriac")).containsEntry("status", "UP");
			assertThat((Map<String, Object>) components.get("celeriacResults")).containsEntry("status", "UP");
		}
	}

}

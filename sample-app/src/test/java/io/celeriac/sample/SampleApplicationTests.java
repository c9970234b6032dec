package io.celeriac.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample application as its README says, on the in-memory default and with the
 * {@code services} profile against the real servers, and asks its health endpoint.
 *
 * @author Celeriac team
 */
@RealServices
class SampleApplicationTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Test
	void defaultProfileRunsInMemoryAndIsHealthy() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			RestClient client = client(context);
			Map<String, Object> health = client.get().uri("/actuator/health").retrieve().body(JSON);
			assertThat(health).containsEntry("status", "UP");
			assertThat((Map<String, Object>) health.get("components")).doesNotContainKeys("rabbit", "redis");
			Map<String, Object> backends = client.get().uri("/backends").retrieve().body(JSON);
			assertThat(backends).containsOnly(Map.entry("broker", "memory"), Map.entry("result", "memory"),
					Map.entry("cache", "memory"), Map.entry("lock", "memory"), Map.entry("limiter", "memory"),
					Map.entry("scheduler", "memory"), Map.entry("registry", "memory"),
					Map.entry("recurring", "memory"));
		}
	}

	@Test
	void tasksPostedOverHttpRunOnTheInMemoryWorker() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			RestClient client = client(context);
			assertThat(runTask(client, "sample.add", "{\"args\": [2, 3]}")).containsEntry("state", "SUCCESS")
				.containsEntry("result", 5);
			assertThat(runTask(client, "sample.add", "{\"kwargs\": {\"x\": 4, \"y\": 5}}")).containsEntry("result", 9);
			assertThat(runTask(client, "sample.fail", "{\"args\": [\"on purpose\"]}")).containsEntry("state", "FAILURE")
				.containsEntry("error", "IllegalStateException: on purpose");
		}
	}

	@Test
	void servicesProfileUsesTheRealServersAndIsHealthy(RedisEndpoint redis, RabbitEndpoint rabbit,
			PostgresEndpoint postgres, ServiceIsolation isolation) {
		String prefix = isolation.queueNamePrefix();
		for (String queue : new String[] { "platform.fifo", "celery", "sample", "processing",
				"processing-quarantine" }) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("services")
			.run("--server.port=0", "--celeriac.topology.exchange=" + isolation.exchange("tasks"),
					"--celeriac.topology.queue-name-prefix=" + prefix, "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--spring.rabbitmq.host=" + rabbit.host(),
					"--spring.rabbitmq.port=" + rabbit.port(), "--spring.rabbitmq.username=" + rabbit.username(),
					"--spring.rabbitmq.password=" + rabbit.password(),
					"--spring.rabbitmq.virtual-host=" + rabbit.virtualHost(),
					"--spring.datasource.url=" + isolation.jdbcUrl(),
					"--spring.datasource.username=" + postgres.username(),
					"--spring.datasource.password=" + postgres.password())) {
			RestClient client = client(context);
			Map<String, Object> health = client.get().uri("/actuator/health").retrieve().body(JSON);
			assertThat(health).containsEntry("status", "UP");
			Map<String, Object> components = (Map<String, Object>) health.get("components");
			assertThat(components).containsKeys("rabbit", "redis", "db");
			for (String name : new String[] { "rabbit", "redis", "db" }) {
				assertThat((Map<String, Object>) components.get(name)).as(name).containsEntry("status", "UP");
			}
			assertThat(runTask(client, "sample.add", "{\"args\": [20, 22]}")).containsEntry("result", 42);
			Map<String, Object> failed = runTask(client, "sample.fail", "{\"args\": [\"on purpose\"]}");
			assertThat(failed).containsEntry("state", "FAILURE")
				.containsEntry("error", "IllegalStateException: on purpose");
			assertThat((String) failed.get("traceback")).contains("java.lang.IllegalStateException: on purpose");
			Integer rows = new JdbcTemplate(context.getBean(DataSource.class))
				.queryForObject("SELECT count(*) FROM celery_taskmeta", Integer.class);
			assertThat(rows).isEqualTo(2);
			Map<String, Object> backends = client.get().uri("/backends").retrieve().body(JSON);
			assertThat(backends).containsOnly(Map.entry("broker", "rabbit"), Map.entry("result", "jdbc"),
					Map.entry("cache", "redis"), Map.entry("lock", "redis"), Map.entry("limiter", "redis"),
					Map.entry("scheduler", "redis"), Map.entry("registry", "redis"), Map.entry("recurring", "redis"));
		}
	}

	private static Map<String, Object> runTask(RestClient client, String name, String body) {
		Map<String, Object> sent = client.post()
			.uri("/api/tasks/{name}", name)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.body(JSON);
		Object id = sent.get("id");
		AtomicReference<Map<String, Object>> done = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			Map<String, Object> found = client.get()
				.uri("/api/tasks/{id}", id)
				.retrieve()
				.onStatus((status) -> status.value() == 404, (request, response) -> {
				})
				.body(JSON);
			done.set(found);
			return found != null && List.of("SUCCESS", "FAILURE").contains(found.get("state"));
		});
		return done.get();
	}

	private static RestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.create("http://127.0.0.1:" + port);
	}

}

package io.celeriac.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code platform} profile runs the task monitor: every task sent is recorded in the
 * task table next to its result.
 *
 * @author Celeriac team
 */
@RealServices
class SamplePlatformTests {

	@Test
	void thePlatformProfileRecordsEveryTaskInTheTaskTable(RedisEndpoint redis, RabbitEndpoint rabbit,
			PostgresEndpoint postgres, ServiceIsolation isolation) {
		String prefix = isolation.queueNamePrefix();
		for (String queue : new String[] { "platform.fifo", "celery", "sample", "processing",
				"processing-quarantine" }) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("services", "platform")
			.run("--server.port=0", "--celeriac.topology.exchange=" + isolation.exchange("tasks"),
					"--celeriac.topology.queue-name-prefix=" + prefix, "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--spring.rabbitmq.host=" + rabbit.host(),
					"--spring.rabbitmq.port=" + rabbit.port(), "--spring.rabbitmq.username=" + rabbit.username(),
					"--spring.rabbitmq.password=" + rabbit.password(),
					"--spring.rabbitmq.virtual-host=" + rabbit.virtualHost(),
					"--spring.datasource.url=" + isolation.jdbcUrl(),
					"--spring.datasource.username=" + postgres.username(),
					"--spring.datasource.password=" + postgres.password())) {
			TaskRecordStore tasks = context.getBean(TaskRecordStore.class);
			assertThat(tasks).isInstanceOf(JdbcTaskRecordStore.class);
			TaskHandle<Object> handle = context.getBean(TaskClient.class)
				.send("sample.add", List.of(2, 3), Map.of(), TaskOptions.defaults(), Object.class);
			assertThat(handle.await(Duration.ofSeconds(20))).isEqualTo(5);
			await().atMost(Duration.ofSeconds(20)).until(() -> tasks.find(handle.id()).isPresent());
			TaskRecord record = tasks.find(handle.id()).orElseThrow();
			assertThat(record.name()).isEqualTo("sample.add");
			assertThat(record.routingKey()).isEqualTo("sample");
		}
	}

}

package io.celeriac.autoconfigure.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.celery.TaskRun;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code celeriac.schedules.<name>} entry sends a task that only a Python Celery 5.2.6
 * worker defines, on the real RabbitMQ: the worker runs each tick with the schedule's
 * arguments and the tick's task id.
 *
 * @author Celeriac team
 */
@RealServices
class PythonRecurringTaskTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Test
	void aPythonTaskRunsOnSchedule(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = isolation.exchange("recurring");
		String prefix = isolation.queueNamePrefix() + "recurring-";
		for (String queue : List.of("platform.fifo", "celery", "pyservice")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		CeleryTopology topology = CeleryTopology.of(rabbit, exchange, prefix, "pyservice");
		try (PythonCeleryWorker worker = python.startWorker(topology)) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
					RabbitAutoConfiguration.class, CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class,
					TaskAutoConfiguration.class, WorkerAutoConfiguration.class, RecurringTaskAutoConfiguration.class))
				.withPropertyValues("spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.port(),
						"spring.rabbitmq.username=" + rabbit.username(),
						"spring.rabbitmq.password=" + rabbit.password(),
						"spring.rabbitmq.virtual-host=" + rabbit.virtualHost(), "celeriac.broker.type=rabbit",
						"celeriac.topology.exchange=" + exchange, "celeriac.topology.queue-name-prefix=" + prefix,
						"celeriac.topology.queues=pyservice", "celeriac.worker.enabled=false",
						"celeriac.schedules.py-add.task=pyservice.add", "celeriac.schedules.py-add.every=1s")
				// typed, as YAML gives them
				.withInitializer((context) -> context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("yaml",
							Map.of("celeriac.schedules.py-add.args[0]", 2, "celeriac.schedules.py-add.args[1]", 3))))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					await().atMost(WAIT)
						.until(() -> worker.runs()
							.stream()
							.filter((run) -> run.id().startsWith("py-add@"))
							.count() >= 2);
					TaskRun run = worker.runs()
						.stream()
						.filter((candidate) -> candidate.id().startsWith("py-add@"))
						.findFirst()
						.orElseThrow();
					assertThat(run.task()).isEqualTo("pyservice.add");
					assertThat(run.args()).containsExactly(2, 3);
					assertThat(run.result()).isEqualTo(5);
					assertThat(run.lang()).isEqualTo("java");
					Instant tick = Instant.parse(run.id().substring("py-add@".length()));
					assertThat(tick.toEpochMilli() % 1000).as("a whole second").isZero();
				});
		}
	}

}

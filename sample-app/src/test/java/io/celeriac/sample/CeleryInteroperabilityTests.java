package io.celeriac.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.celery.TaskRun;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Java and Python Celery on one RabbitMQ: a Python Celery client's task runs on the
 * sample's Java worker, and a task the sample sends with {@link TaskClient} runs on a
 * Python Celery 5.2.6 worker.
 *
 * @author Celeriac team
 */
@RealServices
class CeleryInteroperabilityTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void aPythonClientsTaskRunsOnTheJavaWorker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = isolation.exchange("from_python");
		String prefix = isolation.queueNamePrefix() + "py-";
		try (ConfigurableApplicationContext sample = startSample(rabbit, isolation, exchange, prefix)) {
			CeleryTopology topology = CeleryTopology.of(rabbit, exchange, prefix, "sample").withoutDeclaring();
			String id = python.sendTask(topology, "sample.add", List.of(2, 3));
			ResultStore results = sample.getBean(ResultStore.class);
			await().atMost(TIMEOUT)
				.until(() -> results.find(id).map(TaskResult::state).orElse(TaskState.PENDING) == TaskState.SUCCESS);
			TaskResult result = results.find(id).orElseThrow();
			assertThat(result.value().intValue()).isEqualTo(5);
			assertThat(result.name()).isEqualTo("sample.add");
			assertThat(result.queue()).isEqualTo("sample");

			String keywords = python.sendTask(topology, "sample.add", List.of(), Map.of("x", 40, "y", 2));
			await().atMost(TIMEOUT)
				.until(() -> results.find(keywords).map(TaskResult::state).orElse(null) == TaskState.SUCCESS);
			assertThat(results.find(keywords).orElseThrow().value().intValue()).isEqualTo(42);
		}
	}

	@Test
	void aJavaTaskClientsTaskRunsOnThePythonWorker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = isolation.exchange("from_java");
		String prefix = isolation.queueNamePrefix() + "java-";
		CeleryTopology topology = CeleryTopology.of(rabbit, exchange, prefix, "pyservice");
		topology.queueNames().forEach(isolation::removeAfterwards);
		try (PythonCeleryWorker worker = python.startWorker(topology);
				ConfigurableApplicationContext sample = startSample(rabbit, isolation, exchange, prefix,
						"--celeriac.topology.queues=pyservice")) {
			TaskClient client = sample.getBean(TaskClient.class);
			TaskHandle<Object> handle = client.send("pyservice.multiply", List.of(6, 7), Map.of(),
					TaskOptions.defaults());
			TaskRun run = worker.awaitRun(handle.id(), TIMEOUT);
			assertThat(run.task()).isEqualTo("pyservice.multiply");
			assertThat(run.lang()).isEqualTo("java");
			assertThat(run.args()).containsExactly(6, 7);
			assertThat(run.result()).isEqualTo(42);
			assertThat(run.routingKey()).isEqualTo("pyservice");

			TaskHandle<Object> keywords = client.send("pyservice.multiply", List.of(), Map.of("x", 3, "y", 5),
					TaskOptions.defaults());
			assertThat(worker.awaitRun(keywords.id(), TIMEOUT).result()).isEqualTo(15);
		}
	}

	static ConfigurableApplicationContext startSample(RabbitEndpoint rabbit, ServiceIsolation isolation,
			String exchange, String prefix, String... more) {
		for (String queue : List.of("platform.fifo", "celery", "sample", "pyservice", "processing",
				"processing-quarantine")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=0", "--celeriac.broker.type=rabbit",
				"--spring.rabbitmq.host=" + rabbit.host(), "--spring.rabbitmq.port=" + rabbit.port(),
				"--spring.rabbitmq.username=" + rabbit.username(), "--spring.rabbitmq.password=" + rabbit.password(),
				"--spring.rabbitmq.virtual-host=" + rabbit.virtualHost(), "--celeriac.topology.exchange=" + exchange,
				"--celeriac.topology.queue-name-prefix=" + prefix,
				// no Redis here: delayed tasks stay in this process, by choice
				"--celeriac.scheduler.type=memory"));
		arguments.addAll(List.of(more));
		return new SpringApplicationBuilder(SampleApplication.class).run(arguments.toArray(String[]::new));
	}

}

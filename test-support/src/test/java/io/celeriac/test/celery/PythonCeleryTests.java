package io.celeriac.test.celery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PythonCelery} against the real broker: a Python Celery 5 worker on the
 * cadasta topology runs a task that Celery's own client sent, and the task reaches the
 * monitor queue as well.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(Lifecycle.PER_CLASS)
class PythonCeleryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private @Nullable PythonCelery python;

	private @Nullable CeleryTopology topology;

	private @Nullable PythonCeleryWorker worker;

	@BeforeAll
	void startWorker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		PythonCelery python = PythonCelery.assumeInstalled();
		CeleryTopology topology = CeleryTopology.of(rabbit, isolation.exchange("task_exchange"),
				isolation.queueNamePrefix(), "pyservice");
		topology.queueNames().forEach(isolation::removeAfterwards);
		this.python = python;
		this.topology = topology;
		this.worker = python.startWorker(topology);
	}

	@AfterAll
	void stopWorker() {
		if (this.worker != null) {
			this.worker.close();
		}
	}

	@Test
	void celeryVersionIsTheOneTheWireCaptureCameFrom() {
		assertThat(python().celeryVersion()).startsWith("5.");
	}

	@Test
	void workerRunsATaskThatThePythonClientSent() {
		String id = python().sendTask(topology(), "pyservice.multiply", List.of(6, 7));
		TaskRun run = worker().awaitRun(id, TIMEOUT);
		assertThat(run.task()).isEqualTo("pyservice.multiply");
		assertThat(run.args()).containsExactly(6, 7);
		assertThat(run.result()).isEqualTo(42);
		assertThat(run.lang()).isEqualTo("py");
		assertThat(run.correlationId()).isEqualTo(id);
		assertThat(run.rootId()).isEqualTo(id);
		assertThat(run.routingKey()).isEqualTo("pyservice");
		assertThat(run.exchange()).isEqualTo(topology().exchange());
	}

	@Test
	void keywordArgumentsReachTheTask() {
		String id = python().sendTask(topology(), "pyservice.multiply", List.of(), Map.of("x", 3, "y", 5));
		TaskRun run = worker().awaitRun(id, TIMEOUT);
		assertThat(run.kwargs()).containsEntry("x", 3).containsEntry("y", 5);
		assertThat(run.result()).isEqualTo(15);
	}

	@Test
	void everyTaskAlsoReachesTheMonitorQueue(RabbitEndpoint rabbit) throws Exception {
		String id = python().sendTask(topology(), "pyservice.multiply", List.of(2, 2));
		worker().awaitRun(id, TIMEOUT);
		List<String> monitored = new ArrayList<>();
		try (Connection connection = rabbit.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			GetResponse response;
			while ((response = channel.basicGet(topology().monitorQueueName(), true)) != null) {
				monitored.add(String.valueOf(response.getProps().getHeaders().get("id")));
			}
		}
		assertThat(monitored).contains(id);
	}

	@Test
	void workerUsesATopologyThatTheJavaSideDeclaredWithQueueArgumentsOfItsOwn(RabbitEndpoint rabbit,
			ServiceIsolation isolation) throws Exception {
		CeleryTopology declaredByJava = CeleryTopology
			.of(rabbit, isolation.exchange("java_declared"), isolation.queueNamePrefix() + "java-", "pyservice")
			.withMonitorQueue(null)
			.withoutDeclaring();
		String queue = declaredByJava.queueName("pyservice");
		isolation.removeAfterwards(queue);
		try (Connection connection = rabbit.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			channel.exchangeDeclare(declaredByJava.exchange(), "topic", true);
			// arguments that the Python app does not know: declaring the queue again
			// without them would fail with PRECONDITION_FAILED
			channel.queueDeclare(queue, true, false, false, Map.of("x-dead-letter-exchange", "nowhere"));
			channel.queueBind(queue, declaredByJava.exchange(), "pyservice");
		}
		try (PythonCeleryWorker javaTopologyWorker = python().startWorker(declaredByJava)) {
			String id = python().sendTask(declaredByJava, "pyservice.multiply", List.of(4, 5));
			assertThat(javaTopologyWorker.awaitRun(id, TIMEOUT).result()).isEqualTo(20);
		}
	}

	@Test
	void clientReadsTheResultFromTheDatabaseResultBackend(RabbitEndpoint rabbit, PostgresEndpoint postgres,
			ServiceIsolation isolation) {
		CeleryTopology withResults = CeleryTopology
			.of(rabbit, isolation.exchange("with_results"), isolation.queueNamePrefix() + "results-", "pyservice")
			.withResultBackend(CeleryTopology.databaseResultBackend(postgres, isolation.schema()));
		withResults.queueNames().forEach(isolation::removeAfterwards);
		try (PythonCeleryWorker resultsWorker = python().startWorker(withResults)) {
			SentTask sent = python().sendTaskAndWait(withResults, "pyservice.multiply", List.of(6, 7), Map.of(),
					TIMEOUT);
			assertThat(sent.resultJson()).isEqualTo("42");
			assertThat(resultsWorker.run(sent.id())).isPresent();
		}
	}

	private PythonCelery python() {
		return Objects.requireNonNull(this.python, "Python Celery");
	}

	private CeleryTopology topology() {
		return Objects.requireNonNull(this.topology, "topology");
	}

	private PythonCeleryWorker worker() {
		return Objects.requireNonNull(this.worker, "worker");
	}

}

package io.celeriac.test.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.broker.QueueStats;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.SqsTestBroker;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Celeriac worker on SQS killed (SIGKILL) in the middle of a task: while it lived its
 * heartbeat kept the message hidden past the visibility timeout; once it is dead SQS
 * makes the message visible again after the timeout, and another worker runs the task
 * once more.
 *
 * @author Celeriac team
 */
@RealServices
class SqsKilledWorkerTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final SqsEndpoint endpoint;

	private final ServiceIsolation isolation;

	private final SqsTestBroker sqs;

	SqsKilledWorkerTests(SqsEndpoint endpoint, ServiceIsolation isolation) {
		this.endpoint = endpoint;
		this.isolation = isolation;
		this.sqs = new SqsTestBroker(endpoint, isolation);
	}

	@AfterEach
	void disconnect() {
		this.sqs.close();
	}

	@Test
	void aTaskWhoseWorkerWasKilledRunsOnceMoreOnAnotherWorker() throws Exception {
		String exchange = this.isolation.queueNamePrefix() + "killed_exchange";
		String prefix = this.isolation.queueNamePrefix() + "killed-";
		Topology topology = new Topology(exchange, prefix, "platform.fifo", Set.of("held"), QueueType.CLASSIC,
				".error");
		this.sqs.broker().declare(topology);
		String queue = topology.queueName("held");
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		InMemoryResultStore results = new InMemoryResultStore();
		ResultWatcher watcher = new ResultWatcher(results);
		BrokerTaskClient client = new BrokerTaskClient(this.sqs.broker(), topology, new FirstSegmentTaskRouter(),
				protocol, watcher);
		TaskHandle<String> handle;
		try (ChildProcess child = JavaProcess.of(SqsTaskWorkerMain.class)
			.arguments(this.endpoint.url(), this.endpoint.region(), exchange, prefix,
					Long.toString(SqsTestBroker.VISIBILITY_TIMEOUT.getSeconds()))
			.start()) {
			handle = client.send("held.run", List.of("first try"), Map.of(), TaskOptions.defaults(), String.class);
			assertThat(child.awaitLine("running first try", WAIT)).isNotNull();
			// alive, the child's heartbeat keeps the message hidden past its visibility
			// timeout
			await().during(SqsTestBroker.VISIBILITY_TIMEOUT.multipliedBy(2))
				.atMost(WAIT)
				.until(() -> this.sqs.broker().stats(queue).equals(new QueueStats(0, 1, 0)));
			child.kill();
		}
		List<String> ranHere = new CopyOnWriteArrayList<>();
		TaskRegistry registry = new TaskRegistry();
		registry.register(
				new TaskMethod("held.run", new Completing(ranHere), Completing.class.getMethod("run", String.class)));
		WorkerSettings settings = new WorkerSettings("held@test", List.of("held"), 1, 1, 1 << 20, false,
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		TaskWorker worker = TaskWorker
			.builder(this.sqs.broker(), registry, protocol,
					new ErrorQueue(this.sqs.broker(), topology, settings.name(), settings.confirmTimeout()), topology,
					new FirstSegmentTaskRouter(), settings)
			.results(results)
			.build();
		worker.start();
		try {
			assertThat(handle.await(WAIT)).isEqualTo("done: first try");
			assertThat(ranHere).containsExactly("first try");
			await().atMost(WAIT).until(() -> this.sqs.broker().stats(queue).equals(QueueStats.EMPTY));
		}
		finally {
			worker.stop();
			watcher.destroy();
		}
	}

	/**
	 * The task as the surviving worker runs it.
	 */
	public static class Completing {

		private final List<String> ran;

		Completing(List<String> ran) {
			this.ran = ran;
		}

		/**
		 * Completes at once.
		 * @param label the label
		 * @return {@code done: } and the label
		 */
		public String run(String label) {
			this.ran.add(label);
			return "done: " + label;
		}

	}

}

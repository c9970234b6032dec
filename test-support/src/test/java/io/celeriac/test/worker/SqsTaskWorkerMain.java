package io.celeriac.test.worker;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Celeriac worker in a child JVM for {@link SqsKilledWorkerTests}: runs
 * {@code held.run} from an SQS queue, prints {@code running <label>} and holds the task
 * until killed. Arguments: endpoint URL, region, exchange, queue-name prefix, visibility
 * timeout in seconds.
 *
 * @author Celeriac team
 */
public final class SqsTaskWorkerMain {

	private SqsTaskWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		SqsEndpoint endpoint = new SqsEndpoint(args[0], args[1], "celeriac", "celeriac");
		SqsBroker broker = new SqsBroker(endpoint.client(), Duration.ofSeconds(Long.parseLong(args[4])),
				Duration.ofSeconds(1), false);
		Topology topology = new Topology(args[2], args[3], "platform.fifo", Set.of("held"), QueueType.CLASSIC,
				".error");
		broker.declare(topology);
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("held.run", new HeldTasks(), HeldTasks.class.getMethod("run", String.class)));
		WorkerSettings settings = new WorkerSettings("held@child", List.of("held"), 1, 1, 1 << 20, false,
				Duration.ofSeconds(1), Duration.ofSeconds(5));
		TaskWorker
			.builder(broker, registry, new CeleryProtocol(JsonMapper.builder().build()),
					new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology,
					new FirstSegmentTaskRouter(), settings)
			.results(new InMemoryResultStore())
			.build()
			.start();
		new CountDownLatch(1).await();
	}

	/**
	 * The task the child holds.
	 */
	public static class HeldTasks {

		/**
		 * Prints that it runs and never ends.
		 * @param label what to print
		 * @return never
		 * @throws InterruptedException if interrupted
		 */
		public String run(String label) throws InterruptedException {
			System.out.println("running " + label);
			System.out.flush();
			new CountDownLatch(1).await();
			return label;
		}

	}

}

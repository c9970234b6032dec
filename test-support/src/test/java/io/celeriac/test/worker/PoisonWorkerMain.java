package io.celeriac.test.worker;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * A Celeriac worker in a child JVM for {@link RabbitPoisonMessageTests}: consumes the
 * quorum queue of service {@code poison}, whose task {@code poison.crash} prints
 * {@code crashing} and halts the JVM, as an out of memory error or a crash in native code
 * would. Arguments: host, port, user name, password, virtual host, exchange, queue-name
 * prefix, max deliveries.
 *
 * @author Celeriac team
 */
public final class PoisonWorkerMain {

	private PoisonWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(args[0], Integer.parseInt(args[1]));
		connectionFactory.setUsername(args[2]);
		connectionFactory.setPassword(args[3]);
		connectionFactory.setVirtualHost(args[4]);
		RabbitBroker broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10), DelayedMessageCounter.NONE);
		Topology topology = new Topology(args[5], args[6], null, Set.of("poison"), QueueType.QUORUM, ".error");
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("poison.crash", new PoisonTasks(), PoisonTasks.class.getMethod("crash")));
		WorkerSettings settings = new WorkerSettings("poison@child", List.of("poison"), 1, 1, 1 << 20, false,
				Duration.ofSeconds(1), Duration.ofSeconds(5), Integer.parseInt(args[7]));
		TaskWorker
			.builder(broker, registry, new CeleryProtocol(JsonMapper.builder().build()),
					new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology,
					new FirstSegmentTaskRouter(), settings)
			.results(new InMemoryResultStore())
			.build()
			.start();
		System.out.println("worker started");
		System.out.flush();
		new CountDownLatch(1).await();
	}

	/**
	 * The task that kills its worker.
	 */
	public static class PoisonTasks {

		/**
		 * Prints that it runs and halts the JVM.
		 * @return never
		 */
		public String crash() {
			System.out.println("crashing");
			System.out.flush();
			Runtime.getRuntime().halt(3);
			return "unreachable";
		}

	}

}

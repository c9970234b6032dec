package io.celeriac.test.result;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.jdbc.JdbcResultStore;
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
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A worker in a process of its own, for the test that kills it: consumes service
 * {@code killed} on RabbitMQ and records results in batches in PostgreSQL. Arguments:
 * rabbit host, port, username, password, virtual host, exchange, queue-name prefix, JDBC
 * URL, database username, password.
 *
 * @author Celeriac team
 */
public final class ResultWorkerProcess {

	private ResultWorkerProcess() {
	}

	public static void main(String[] args) throws Exception {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(args[0], Integer.parseInt(args[1]));
		connectionFactory.setUsername(args[2]);
		connectionFactory.setPassword(args[3]);
		connectionFactory.setVirtualHost(args[4]);
		RabbitBroker broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10));
		Topology topology = new Topology(args[5], args[6], "platform.fifo", Set.of("killed"), QueueType.CLASSIC,
				".error");
		JsonMapper mapper = new JsonMapper();
		BatchingResultStore store = new BatchingResultStore(
				new JdbcResultStore(new DriverManagerDataSource(args[7], args[8], args[9]),
						new CeleryResultFormat(mapper)),
				64, Duration.ofSeconds(30));
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("killed.square", new Tasks(), Tasks.class.getMethod("square", int.class)));
		WorkerSettings settings = new WorkerSettings("killed@test", List.of("killed"), 8, 32, 1 << 20, false,
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		TaskWorker worker = TaskWorker
			.builder(broker, registry, new CeleryProtocol(mapper),
					new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology,
					new FirstSegmentTaskRouter(), settings)
			.results(store)
			.build();
		worker.start();
		System.out.println("READY");
		System.out.flush();
		new CountDownLatch(1).await();
	}

	/**
	 * The task the killed worker runs.
	 */
	public static class Tasks {

		/**
		 * Squares a number.
		 * @param number the number
		 * @return its square
		 */
		public int square(int number) {
			return number * number;
		}

	}

}

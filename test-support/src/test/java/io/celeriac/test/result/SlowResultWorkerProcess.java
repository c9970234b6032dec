package io.celeriac.test.result;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
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
 * A worker in a process of its own whose result database is slow (each batch takes
 * {@code WRITE_DELAY} longer), so that finished tasks wait for their batch when the test
 * kills it. Consumes service {@code pending} on RabbitMQ; prints {@code RAN <id>} when a
 * task body returns. Arguments: rabbit host, port, username, password, virtual host,
 * exchange, queue-name prefix, JDBC URL, database username, password.
 *
 * @author Celeriac team
 */
public final class SlowResultWorkerProcess {

	static final Duration WRITE_DELAY = Duration.ofMillis(400);

	private SlowResultWorkerProcess() {
	}

	public static void main(String[] args) throws Exception {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(args[0], Integer.parseInt(args[1]));
		connectionFactory.setUsername(args[2]);
		connectionFactory.setPassword(args[3]);
		connectionFactory.setVirtualHost(args[4]);
		RabbitBroker broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10));
		Topology topology = new Topology(args[5], args[6], null, Set.of("pending"), QueueType.CLASSIC, ".error");
		JsonMapper mapper = new JsonMapper();
		ResultStore jdbc = new JdbcResultStore(new DriverManagerDataSource(args[7], args[8], args[9]),
				new CeleryResultFormat(mapper));
		BatchingResultStore store = new BatchingResultStore(new SlowStore(jdbc), 64, Duration.ofSeconds(30));
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("pending.square", new Tasks(), Tasks.class.getMethod("square", int.class)));
		WorkerSettings settings = new WorkerSettings("slow@test", List.of("pending"), 4, 16, 1 << 20, false,
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
		 * Squares a number, and says so.
		 * @param number the number
		 * @return its square
		 */
		public int square(int number) {
			System.out.println("RAN " + number);
			System.out.flush();
			return number * number;
		}

	}

	/**
	 * A result store whose batches take {@link #WRITE_DELAY} longer, as a loaded database
	 * does.
	 */
	record SlowStore(ResultStore delegate) implements ResultStore {

		@Override
		public void save(TaskResult result) {
			saveAll(List.of(result));
		}

		@Override
		public void saveAll(List<TaskResult> results) {
			try {
				Thread.sleep(WRITE_DELAY.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.delegate.saveAll(results);
		}

		@Override
		public Optional<TaskResult> find(String taskId) {
			return this.delegate.find(taskId);
		}

	}

}

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
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A worker in a process of its own, for the tests that kill it: consumes one service on
 * RabbitMQ, records results in batches in PostgreSQL, prints {@code READY} once it
 * consumes and {@code RAN <number>} when a task body returns. Arguments: rabbit host,
 * port, username, password, virtual host, exchange, queue-name prefix, JDBC URL, database
 * username, password, then the {@link Shape}'s.
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
		Shape shape = Shape.of(args, 10);
		RabbitBroker broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10));
		Topology topology = new Topology(args[5], args[6], shape.monitorQueue(), Set.of(shape.service()),
				QueueType.CLASSIC, ".error");
		JsonMapper mapper = new JsonMapper();
		ResultStore jdbc = new JdbcResultStore(new DriverManagerDataSource(args[7], args[8], args[9]),
				new CeleryResultFormat(mapper));
		BatchingResultStore store = new BatchingResultStore(
				shape.writeDelay().isZero() ? jdbc : new SlowStore(jdbc, shape.writeDelay()), 64,
				Duration.ofSeconds(30));
		TaskRegistry registry = new TaskRegistry();
		registry.register(Tasks.square(shape.service()));
		WorkerSettings settings = new WorkerSettings(shape.service() + "@test", List.of(shape.service()),
				shape.concurrency(), shape.prefetch(), 1 << 20, false, Duration.ofSeconds(5), Duration.ofSeconds(5));
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
	 * What the worker consumes and how.
	 *
	 * @param service the service whose queue it consumes; its task is
	 * {@code <service>.square}
	 * @param monitorQueue the topology's monitor queue, or {@code null}
	 * @param concurrency its concurrency
	 * @param prefetch its prefetch
	 * @param writeDelay how much longer each batch of results takes, as on a loaded
	 * database ({@link Duration#ZERO} for none)
	 */
	record Shape(String service, @Nullable String monitorQueue, int concurrency, int prefetch, Duration writeDelay) {

		List<String> arguments() {
			return List.of(this.service, (this.monitorQueue != null) ? this.monitorQueue : "-",
					String.valueOf(this.concurrency), String.valueOf(this.prefetch),
					String.valueOf(this.writeDelay.toMillis()));
		}

		static Shape of(String[] args, int from) {
			return new Shape(args[from], "-".equals(args[from + 1]) ? null : args[from + 1],
					Integer.parseInt(args[from + 2]), Integer.parseInt(args[from + 3]),
					Duration.ofMillis(Long.parseLong(args[from + 4])));
		}

	}

	/**
	 * The task the killed worker runs.
	 */
	public static class Tasks {

		static TaskMethod square(String service) throws NoSuchMethodException {
			return new TaskMethod(service + ".square", new Tasks(), Tasks.class.getMethod("square", int.class));
		}

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
	 * A result store whose batches take longer, as a loaded database does.
	 *
	 * @param delegate the store written to
	 * @param delay how much longer each batch takes
	 */
	record SlowStore(ResultStore delegate, Duration delay) implements ResultStore {

		@Override
		public void save(TaskResult result) {
			saveAll(List.of(result));
		}

		@Override
		public void saveAll(List<TaskResult> results) {
			try {
				Thread.sleep(this.delay.toMillis());
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

package io.celeriac.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Worker throughput of no-op tasks on RabbitMQ, in one run: with no result store (the
 * baseline), with the JDBC result store on PostgreSQL writing batches, and writing each
 * result on its own. The first two alternate for {@code -Drounds} rounds (3), each round
 * measuring both, in turn first, so that a change in the machine's load falls on both
 * alike; the ratio reported is the median of the rounds' ratios. STARTED and SUCCESS are
 * both recorded, as Celery does with {@code task_track_started}. Servers from
 * BENCH_RABBIT_HOST (127.0.0.1, guest/guest) and BENCH_POSTGRES_URL
 * (jdbc:postgresql://127.0.0.1:5432/postgres, user postgres); a schema, exchange and
 * queues of its own are removed afterwards.
 *
 * @author Celeriac team
 */
public final class ResultStoreThroughput {

	private static final int TASKS = Integer.getInteger("tasks", 5000);

	private static final int CONCURRENCY = Integer.getInteger("concurrency", 32);

	private static final int WRITERS = Integer.getInteger("writers", 1);

	private static final int PREFETCH = Integer.getInteger("prefetch", 64);

	/**
	 * celeriac.worker.pending-outcomes; unset: the prefetch, as in the application.
	 */
	private static final Integer PENDING_OUTCOMES = Integer.getInteger("pendingOutcomes");

	private static final int BATCH = Integer.getInteger("batch", 64);

	private static final int ROUNDS = Integer.getInteger("rounds", 3);

	private ResultStoreThroughput() {
	}

	public static void main(String[] args) throws Exception {
		String rabbitHost = System.getenv().getOrDefault("BENCH_RABBIT_HOST", "127.0.0.1");
		String postgresUrl = System.getenv()
			.getOrDefault("BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
		String schema = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		execute(postgresUrl, "CREATE SCHEMA " + schema);
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(rabbitHost, 5672);
		connectionFactory.setUsername("guest");
		connectionFactory.setPassword("guest");
		RabbitBroker broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10));
		List<Topology> topologies = new ArrayList<>();
		String schemaUrl = postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
		try {
			new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"))
				.execute(new DriverManagerDataSource(schemaUrl, "postgres", ""));
			JsonMapper mapper = new JsonMapper();
			CeleryResultFormat format = new CeleryResultFormat(mapper);
			run("warm-up (no result store)", broker, topologies, new CountingStore(null), mapper);
			try (HikariDataSource pool = pool(schemaUrl)) {
				BatchingResultStore batching = new BatchingResultStore(new JdbcResultStore(pool, format), BATCH,
						WRITERS, Duration.ofSeconds(30));
				List<Double> ratios = new ArrayList<>();
				double none = 0;
				for (int round = 1; round <= ROUNDS; round++) {
					double batched;
					if (round % 2 == 1) {
						none = run("no result store", broker, topologies, new CountingStore(null), mapper);
						batched = run("JDBC, batches of up to " + BATCH, broker, topologies,
								new CountingStore(batching), mapper);
					}
					else {
						batched = run("JDBC, batches of up to " + BATCH, broker, topologies,
								new CountingStore(batching), mapper);
						none = run("no result store", broker, topologies, new CountingStore(null), mapper);
					}
					ratios.add(batched / none);
					System.out.printf("round %d: ratio JDBC batched / none %.2f%n", round, batched / none);
				}
				batching.destroy();
				double single = run("JDBC, one write per result", broker, topologies,
						new CountingStore(new JdbcResultStore(pool, format)), mapper);
				List<Double> sorted = ratios.stream().sorted().toList();
				System.out.printf(
						"%nratio JDBC batched / none: median %.2f of %s%nratio JDBC one by one / none "
								+ "(last round's baseline): %.2f%n",
						sorted.get(sorted.size() / 2),
						ratios.stream().map((ratio) -> String.format("%.2f", ratio)).toList(), single / none);
			}
		}
		finally {
			for (Topology topology : topologies) {
				topology.bindings().forEach((binding) -> broker.deleteQueue(binding.queue()));
				topology.errorQueueNames().forEach(broker::deleteQueue);
			}
			broker.destroy();
			connectionFactory.destroy();
			execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
		}
	}

	private static double run(String label, RabbitBroker broker, List<Topology> topologies, CountingStore store,
			JsonMapper mapper) throws Exception {
		String id = UUID.randomUUID().toString().substring(0, 8);
		Topology topology = new Topology("bench-" + id, "bench-" + id + "-", "platform.fifo", Set.of("bench"),
				QueueType.CLASSIC, ".error");
		topologies.add(topology);
		broker.declare(topology);
		CeleryProtocol protocol = new CeleryProtocol(mapper);
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		BrokerTaskClient client = new BrokerTaskClient(broker, topology, router, protocol, null);
		List<CompletableFuture<?>> sent = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			sent.add(client.sendAsync("bench.noop", List.of(i), Map.of(), TaskOptions.defaults(), Object.class));
		}
		CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
		// the monitor queue gets a copy of every task; only the service queue is consumed
		broker.deleteQueue(topology.monitorQueueName());
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("bench.noop", new Tasks(), Tasks.class.getMethod("noop", int.class)));
		WorkerSettings settings = new WorkerSettings("bench@java", List.of("bench"), CONCURRENCY, PREFETCH, 1 << 20,
				true, Duration.ofSeconds(5), Duration.ofSeconds(5));
		store.expect(TASKS);
		TaskWorker worker = TaskWorker
			.builder(broker, registry, protocol,
					new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology, router,
					settings)
			.results(store)
			.pendingOutcomes(PENDING_OUTCOMES)
			.build();
		long start = System.nanoTime();
		worker.start();
		if (!store.await(Duration.ofMinutes(2))) {
			throw new IllegalStateException(label + ": not all tasks ran within 2 minutes");
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		worker.stop();
		double rate = TASKS / seconds;
		System.out.printf("%-30s %6d tasks in %6.2f s = %8.0f tasks/s%n", label, TASKS, seconds, rate);
		return rate;
	}

	private static HikariDataSource pool(String url) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(url);
		pool.setUsername("postgres");
		pool.setMaximumPoolSize(CONCURRENCY + WRITERS);
		pool.setMinimumIdle(CONCURRENCY + WRITERS);
		return pool;
	}

	private static void execute(String url, String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * The benchmark's task.
	 */
	public static class Tasks {

		/**
		 * Does nothing.
		 * @param number ignored
		 * @return the number
		 */
		public int noop(int number) {
			return number;
		}

	}

	/**
	 * Counts successes once they are recorded (or at once without a store).
	 */
	private static final class CountingStore implements ResultStore {

		private final ResultStore delegate;

		private volatile CountDownLatch done = new CountDownLatch(0);

		CountingStore(ResultStore delegate) {
			this.delegate = delegate;
		}

		void expect(int count) {
			this.done = new CountDownLatch(count);
		}

		boolean await(Duration timeout) throws InterruptedException {
			return this.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void save(TaskResult result) {
			if (this.delegate != null) {
				this.delegate.save(result);
			}
			if (result.state() == TaskState.SUCCESS) {
				this.done.countDown();
			}
		}

		@Override
		public CompletableFuture<Void> saveAsync(TaskResult result) {
			// the worker acknowledges when this completes: count then, as the worker
			// would
			CompletableFuture<Void> saved = (this.delegate != null) ? this.delegate.saveAsync(result)
					: CompletableFuture.completedFuture(null);
			return saved.thenRun(() -> {
				if (result.state() == TaskState.SUCCESS) {
					this.done.countDown();
				}
			});
		}

		@Override
		public Optional<TaskResult> find(String taskId) {
			return (this.delegate != null) ? this.delegate.find(taskId) : Optional.empty();
		}

	}

}

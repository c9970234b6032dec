package io.celeriac.test.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.task.TaskTimeoutException;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerExtensions;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops the result database for 30 seconds while a worker on the real RabbitMQ runs 2,000
 * tasks with the JDBC result store batched as auto-configuration builds it, on a
 * PostgreSQL cluster of the test's own: every task ends SUCCESS, every task body ran
 * exactly once, and a caller reading a result while the database is down gets a clear
 * exception within its timeout. The figures are printed for docs/reliability.md.
 *
 * @author Celeriac team
 */
@RealServices
class ResultDatabaseOutageTests {

	private static final int TASKS = 2_000;

	private static final Duration OUTAGE = Duration.ofSeconds(30);

	/**
	 * {@code celeriac.result.write-timeout}'s default.
	 */
	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CALLER_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration MARGIN = Duration.ofMillis(500);

	private final RabbitTestBroker rabbit;

	private final List<AutoCloseable> resources = new ArrayList<>();

	ResultDatabaseOutageTests(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
		this.rabbit.close();
	}

	@Test
	void everyTaskSucceedsAndRunsOnceAcrossAThirtySecondStopOfTheResultDatabase() throws Exception {
		PostgresClusterProcess database = own(PostgresClusterProcess.create());
		HikariDataSource pool = own(new HikariDataSource());
		pool.setJdbcUrl(database.jdbcUrl());
		pool.setUsername(database.username());
		pool.setPassword("");
		ResourceDatabasePopulator schema = new ResourceDatabasePopulator(
				new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"));
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> schema.execute(pool));
		JdbcResultStore jdbc = new JdbcResultStore(pool, new CeleryResultFormat(JsonMapper.builder().build()));
		// as ResultStoreAutoConfiguration builds it with the default properties
		BatchingResultStore results = new BatchingResultStore(jdbc, 64, 1, WRITE_TIMEOUT, 10_000);
		this.resources.add(results::destroy);

		Topology topology = this.rabbit.newTopology("dbfaults");
		this.rabbit.broker().declare(topology);
		Work work = new Work();
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("dbfaults.work", work, Work.class.getMethod("work", int.class)));
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		WorkerSettings settings = new WorkerSettings("dbfaults@test", List.of("dbfaults"), 8, 16, 65536, false,
				Duration.ofSeconds(10), Duration.ofSeconds(10));
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		TaskWorker worker = new TaskWorker(this.rabbit.broker(), registry, protocol, results,
				new ErrorQueue(this.rabbit.broker(), topology, settings.name(), settings.confirmTimeout()), topology,
				router, settings, null, WorkerExtensions.none());
		ResultWatcher watcher = new ResultWatcher(results);
		this.resources.add(watcher::destroy);
		BrokerTaskClient client = new BrokerTaskClient(this.rabbit.broker(), topology, router, protocol, watcher);
		worker.start();
		this.resources.add(worker::stop);

		// the tasks are sent at an even pace before, during and after the outage
		List<TaskHandle<Integer>> handles = new CopyOnWriteArrayList<>();
		Thread sender = new Thread(() -> {
			for (int i = 0; i < TASKS; i++) {
				handles.add(client.send("dbfaults.work", List.of(i), Map.of(), TaskOptions.defaults(), Integer.class));
				pause(Duration.ofMillis(25));
			}
		}, "dbfaults-sender");
		sender.setDaemon(true);
		sender.start();
		this.resources.add(sender::interrupt);

		await().atMost(Duration.ofSeconds(60)).until(() -> work.executions() >= 300);
		database.stop();
		long down = System.nanoTime();
		// callers read results while the database is down
		List<Read> reads = new CopyOnWriteArrayList<>();
		AtomicBoolean reading = new AtomicBoolean(true);
		List<Thread> readers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Thread reader = new Thread(() -> {
				while (reading.get()) {
					TaskHandle<Integer> handle = handles.get(handles.size() - 1);
					long start = System.nanoTime();
					Throwable failure = null;
					try {
						handle.await(CALLER_TIMEOUT);
					}
					catch (RuntimeException ex) {
						failure = ex;
					}
					reads.add(new Read(start, System.nanoTime(), failure));
					pause(Duration.ofMillis(100));
				}
			}, "dbfaults-reader-" + i);
			reader.setDaemon(true);
			reader.start();
			readers.add(reader);
		}
		pause(OUTAGE.minus(Duration.ofNanos(System.nanoTime() - down)));
		reading.set(false);
		for (Thread reader : readers) {
			reader.join(CALLER_TIMEOUT.plusSeconds(60).toMillis());
		}
		long restarting = System.nanoTime();
		database.start();
		long back = System.nanoTime();
		sender.join(Duration.ofSeconds(120).toMillis());
		assertThat(handles).hasSize(TASKS);

		List<String> ids = handles.stream().map(TaskHandle::id).toList();
		await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> succeeded(jdbc, ids) == TASKS);
		long drained = System.nanoTime();

		Map<String, Integer> runs = work.runs();
		long reRuns = runs.values().stream().mapToLong((count) -> count - 1).sum();
		List<Read> whileDown = reads.stream().filter((read) -> read.start >= down && read.end <= restarting).toList();
		long longest = whileDown.stream().mapToLong(Read::millis).max().orElse(0);
		System.out.printf("Result database outage: %d tasks, database down %d s; all SUCCESS %d ms after it was "
				+ "back; %d task bodies re-run; %d result reads while down, longest %d ms (caller timeout %d ms)%n",
				TASKS, Duration.ofNanos(restarting - down).toSeconds(), Duration.ofNanos(drained - back).toMillis(),
				reRuns, whileDown.size(), longest, CALLER_TIMEOUT.toMillis());
		whileDown.stream()
			.map((read) -> (read.failure != null) ? read.failure.toString() : "no failure")
			.distinct()
			.limit(5)
			.forEach((text) -> System.out.println("  a read while down: " + text));

		assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(runs).as("executions per task id").allSatisfy((id, count) -> assertThat(count).isOne());
		assertThat(whileDown).as("result reads while the database was down").isNotEmpty().allSatisfy((read) -> {
			assertThat(read.failure).as(read.toString())
				.isNotNull()
				.isNotInstanceOf(TaskTimeoutException.class)
				.hasMessageContaining("unreachable");
			assertThat(read.duration()).as(read.toString()).isLessThanOrEqualTo(CALLER_TIMEOUT.plus(MARGIN));
		});
	}

	private static int succeeded(JdbcResultStore store, List<String> ids) {
		int done = 0;
		for (int from = 0; from < ids.size(); from += 500) {
			Map<String, TaskResult> found = store.findAll(ids.subList(from, Math.min(ids.size(), from + 500)));
			done += (int) found.values().stream().filter((result) -> result.state() == TaskState.SUCCESS).count();
		}
		return done;
	}

	private static void pause(Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			return;
		}
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private <T extends AutoCloseable> T own(T resource) {
		this.resources.add(resource);
		return resource;
	}

	/**
	 * The task: counts its executions per task id.
	 */
	public static class Work {

		private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		private final AtomicInteger executions = new AtomicInteger();

		public int work(int number) {
			CurrentTask task = CurrentTask.get();
			String id = (task != null) ? task.id() : "unknown";
			this.runs.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
			this.executions.incrementAndGet();
			return number;
		}

		int executions() {
			return this.executions.get();
		}

		Map<String, Integer> runs() {
			Map<String, Integer> counts = new ConcurrentHashMap<>();
			this.runs.forEach((id, count) -> counts.put(id, count.get()));
			return counts;
		}

	}

	private record Read(long start, long end, @Nullable Throwable failure) {

		Duration duration() {
			return Duration.ofNanos(this.end - this.start);
		}

		long millis() {
			return duration().toMillis();
		}

		@Override
		public String toString() {
			return "a read that took " + millis() + " ms and "
					+ ((this.failure != null) ? "threw " + this.failure : "succeeded");
		}

	}

}

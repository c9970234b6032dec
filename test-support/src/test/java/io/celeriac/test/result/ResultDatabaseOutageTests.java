package io.celeriac.test.result;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStoreUnavailableException;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.result.jdbc.PoolConnectionTimeout;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.task.TaskTimeoutException;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.resource.OwnedResources;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stops the result database for 30 seconds while a worker on the real RabbitMQ runs 2,000
 * tasks with the JDBC result store batched as auto-configuration builds it, on a
 * PostgreSQL cluster of the test's own: every task ends SUCCESS, every task body ran
 * exactly once, and a caller reading a result while the database is down gets a clear
 * exception within its timeout. Without a worker, saves and reads while the database is
 * stopped fail within the write timeout, most of them at once. The figures are printed
 * for docs/reliability.md.
 *
 * @author Celeriac team
 */
@RealServices
class ResultDatabaseOutageTests {

	private static final int TASKS = 2_000;

	private static final Duration OUTAGE = Duration.ofSeconds(30);

	/**
	 * {@code celeriac.result.write-timeout}, which also bounds the pool's wait for a
	 * connection.
	 */
	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration CALLER_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration MARGIN = Duration.ofMillis(500);

	private final RabbitTestBroker rabbit;

	private final OwnedResources resources = new OwnedResources();

	ResultDatabaseOutageTests(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
	}

	@AfterEach
	void close() throws Exception {
		this.resources.close();
		this.rabbit.close();
	}

	@Test
	void whileTheDatabaseIsStoppedSavesAndReadsFailWithinTheWriteTimeoutAndWorkOnceItIsBack() throws Exception {
		PostgresClusterProcess database = own(PostgresClusterProcess.create());
		JdbcResultStore jdbc = jdbcStore(database);
		BatchingResultStore results = batching(jdbc);
		results.save(success(UUID.randomUUID().toString()));
		database.stop();
		// several workers' threads record results and callers read them, as in a busy
		// service
		List<Call> calls = new CopyOnWriteArrayList<>();
		List<Thread> callers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			boolean reader = i % 2 == 1;
			Thread caller = new Thread(() -> {
				for (int n = 0; n < 25; n++) {
					String id = UUID.randomUUID().toString();
					long start = System.nanoTime();
					Throwable failure = null;
					try {
						if (reader) {
							results.find(id);
						}
						else {
							results.save(success(id));
						}
					}
					catch (RuntimeException ex) {
						failure = ex;
					}
					calls.add(new Call(reader ? "find" : "save", start, System.nanoTime(), failure));
				}
			}, "dbfaults-caller-" + i);
			caller.start();
			callers.add(caller);
		}
		for (Thread caller : callers) {
			caller.join(Duration.ofSeconds(120).toMillis());
		}
		long waited = calls.stream().filter((call) -> call.duration().toMillis() >= 1000).count();
		System.out.printf(
				"Result database stopped: %d saves and reads, all refused; longest %d ms, %d waited a "
						+ "second or more for the pool (write timeout %d ms)%n",
				calls.size(), calls.stream().mapToLong(Call::millis).max().orElse(0), waited, WRITE_TIMEOUT.toMillis());
		assertThat(calls).hasSize(200).allSatisfy((call) -> {
			assertThat(call.failure).as(call.toString())
				.isInstanceOf(ResultStoreUnavailableException.class)
				.hasMessageContaining("unreachable");
			assertThat(call.duration()).as(call.toString()).isLessThanOrEqualTo(WRITE_TIMEOUT.plus(MARGIN));
		});
		// the pool is tried about once per back-off, not once per call
		assertThat(waited).isLessThan(calls.size() / 4);
		database.start();
		long back = System.nanoTime();
		String after = UUID.randomUUID().toString();
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> results.save(success(after)));
		assertThat(results.find(after)).map(TaskResult::state).contains(TaskState.SUCCESS);
		System.out.printf("Result database back: a save commits again %d ms after it started%n",
				Duration.ofNanos(System.nanoTime() - back).toMillis());
	}

	@Test
	void everyTaskSucceedsAndRunsOnceAcrossAThirtySecondStopOfTheResultDatabase() throws Exception {
		PostgresClusterProcess database = own(PostgresClusterProcess.create());
		JdbcResultStore jdbc = jdbcStore(database);
		BatchingResultStore results = batching(jdbc);

		Topology topology = this.rabbit.newTopology("dbfaults");
		this.rabbit.broker().declare(topology);
		Work work = new Work();
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("dbfaults.work", work, Work.class.getMethod("work", int.class)));
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		WorkerSettings settings = new WorkerSettings("dbfaults@test", List.of("dbfaults"), 8, 16, 65536, false,
				Duration.ofSeconds(10), Duration.ofSeconds(10));
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		TaskWorker worker = TaskWorker
			.builder(this.rabbit.broker(), registry, protocol,
					new ErrorQueue(this.rabbit.broker(), topology, settings.name(), settings.confirmTimeout()),
					topology, router, settings)
			.results(results)
			.build();
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
		List<Call> reads = new CopyOnWriteArrayList<>();
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
					reads.add(new Call("await", start, System.nanoTime(), failure));
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
		long allSent = System.nanoTime();
		assertThat(handles).hasSize(TASKS);

		List<String> ids = handles.stream().map(TaskHandle::id).toList();
		await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> succeeded(jdbc, ids) == TASKS);
		long drained = System.nanoTime();

		Map<String, Integer> runs = work.runs();
		long reRuns = runs.values().stream().mapToLong((count) -> count - 1).sum();
		List<Call> whileDown = reads.stream().filter((read) -> read.start >= down && read.end <= restarting).toList();
		long longest = whileDown.stream().mapToLong(Call::millis).max().orElse(0);
		System.out.printf("Result database outage: %d tasks, database down %d s; all SUCCESS %d ms after it was "
				+ "back (%d ms after the last was sent); %d task bodies re-run; %d result reads while down, longest "
				+ "%d ms (caller timeout %d ms)%n", TASKS, Duration.ofNanos(restarting - down).toSeconds(),
				Duration.ofNanos(drained - back).toMillis(), Duration.ofNanos(drained - allSent).toMillis(), reRuns,
				whileDown.size(), longest, CALLER_TIMEOUT.toMillis());
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

	private JdbcResultStore jdbcStore(PostgresClusterProcess database) {
		HikariDataSource pool = own(new HikariDataSource());
		pool.setJdbcUrl(database.jdbcUrl());
		pool.setUsername(database.username());
		pool.setPassword("");
		// as ResultStoreAutoConfiguration builds the store on a pool of its own
		// (celeriac.result.datasource.url)
		PoolConnectionTimeout.bound(pool, WRITE_TIMEOUT);
		ResourceDatabasePopulator schema = new ResourceDatabasePopulator(
				new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"));
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> schema.execute(pool));
		return new JdbcResultStore(pool, new CeleryResultFormat(JsonMapper.builder().build()));
	}

	private BatchingResultStore batching(JdbcResultStore jdbc) {
		// the default batch size and capacity
		BatchingResultStore results = new BatchingResultStore(jdbc, 64, 1, WRITE_TIMEOUT, 10_000);
		this.resources.add(results::destroy);
		return results;
	}

	private static TaskResult success(String id) {
		return new TaskResult(id, TaskState.SUCCESS, IntNode.valueOf(1), null, "dbfaults.work", null, null,
				"dbfaults@test", 0, "dbfaults", Instant.now());
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
		return this.resources.own(resource);
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

	private record Call(String name, long start, long end, @Nullable Throwable failure) {

		Duration duration() {
			return Duration.ofNanos(this.end - this.start);
		}

		long millis() {
			return duration().toMillis();
		}

		@Override
		public String toString() {
			return this.name + " took " + millis() + " ms and "
					+ ((this.failure != null) ? "threw " + this.failure : "succeeded");
		}

	}

}

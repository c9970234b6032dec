package io.celeriac.benchmarks.workflow;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import io.celeriac.workflow.ChordCompletion;
import io.celeriac.workflow.ChordUnlockJoin;
import io.celeriac.workflow.Signature;
import io.celeriac.workflow.SignaturePublisher;
import io.celeriac.workflow.Workflow;
import io.celeriac.workflow.WorkflowClient;
import io.celeriac.workflow.WorkflowContinuation;
import io.celeriac.workflow.WorkflowSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Chains of 10 no-op steps and a chord of 1,000 no-op members, run by Celeriac's worker
 * and by a Python Celery 5.2.6 worker on the same RabbitMQ and the same PostgreSQL result
 * tables (Celery's database backend; chords joined by {@code celery.chord_unlock}), in
 * one run. Both workflows are sent by Celeriac's {@code WorkflowClient} in Celery's
 * messages, so what is compared is the workers' side: running the steps, recording the
 * results, publishing the next step, unlocking the chord. Servers on 127.0.0.1 (RabbitMQ
 * guest/guest, PostgreSQL postgres); a schema, exchange and queues of its own are removed
 * afterwards.
 *
 * @author Celeriac team
 */
public final class WorkflowThroughput {

	private static final int CHAINS = Integer.getInteger("chains", 20);

	private static final int STEPS = Integer.getInteger("steps", 10);

	private static final int MEMBERS = Integer.getInteger("members", 1000);

	private static final int CONCURRENCY = Integer.getInteger("concurrency", 2);

	private static final Duration TIMEOUT = Duration.ofMinutes(20);

	private WorkflowThroughput() {
	}

	public static void main(String[] args) throws Exception {
		String postgresUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";
		String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		String schema = "benchwf" + id;
		execute(postgresUrl, "CREATE SCHEMA " + schema);
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", 5672);
		connectionFactory.setUsername("guest");
		connectionFactory.setPassword("guest");
		RabbitBroker broker = new RabbitBroker(connectionFactory, Duration.ofSeconds(10));
		Topology topology = new Topology("benchwf-" + id, "benchwf-" + id + "-", null, Set.of("bench", "pyservice"),
				QueueType.CLASSIC, ".error");
		String schemaUrl = postgresUrl + "?currentSchema=" + schema;
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(schemaUrl);
		pool.setUsername("postgres");
		pool.setMaximumPoolSize(CONCURRENCY + 4);
		try {
			broker.declare(topology);
			new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"))
				.execute(pool);
			JsonMapper mapper = new JsonMapper();
			CeleryProtocol protocol = new CeleryProtocol(mapper);
			FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
			JdbcResultStore store = new JdbcResultStore(pool, new CeleryResultFormat(mapper));
			ResultWatcher watcher = new ResultWatcher(store);
			BrokerTaskClient tasks = new BrokerTaskClient(broker, topology, router, protocol, watcher);
			SignaturePublisher publisher = new SignaturePublisher(broker, topology, router, protocol, List.of());
			ChordCompletion completion = new ChordCompletion(publisher, store, "bench@client", 10_000);
			WorkflowClient workflows = new WorkflowClient(publisher,
					new ChordUnlockJoin(completion, store, WorkflowSettings.defaults(), 10_000), tasks, 10_000);
			TaskRegistry registry = new TaskRegistry();
			Tasks benchTasks = new Tasks();
			registry
				.register(new TaskMethod("bench.add", benchTasks, Tasks.class.getMethod("add", int.class, int.class)));
			registry.register(new TaskMethod("bench.tsum", benchTasks, Tasks.class.getMethod("tsum", List.class)));
			WorkerSettings settings = new WorkerSettings("bench@java", List.of("bench", "celery"), CONCURRENCY, 16,
					1 << 24, true, Duration.ofSeconds(5), Duration.ofSeconds(10));
			TaskWorker worker = TaskWorker
				.builder(broker, registry, protocol,
						new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology, router,
						settings)
				.results(store)
				.workflows(new WorkflowContinuation(publisher,
						new ChordUnlockJoin(completion, store, WorkflowSettings.defaults(), 10_000),
						new ChordUnlockJoin(completion, store, WorkflowSettings.defaults(), 10_000), store,
						settings.name(), 10_000))
				.build();
			System.out.printf("chains: %d in flight x %d steps; chord: %d members; Java worker concurrency %d; "
					+ "Python worker --pool solo (and one for celery.chord_unlock); results in PostgreSQL (Celery's tables)%n%n",
					CHAINS, STEPS, MEMBERS, CONCURRENCY);
			worker.start();
			Figures java;
			try {
				chains(workflows, "bench");
				java = new Figures(plain(tasks, "bench"), chains(workflows, "bench"), chord(workflows, "bench"));
			}
			finally {
				worker.stop();
			}
			PythonCelery python = PythonCelery.require();
			CeleryTopology celery = new CeleryTopology("amqp://guest:guest@127.0.0.1:5672//", topology.exchange(),
					topology.queueNamePrefix(), List.of("pyservice"), null, false, Map.of(),
					"db+postgresql://postgres:@127.0.0.1:5432/postgres?options=-csearch_path%3D" + schema);
			Figures py;
			// one worker for the tasks, one for celery.chord_unlock, whose every check
			// reads each
			// member's result and would hold up the header on a single solo worker
			try (PythonCeleryWorker pythonWorker = python.startWorker(celery, List.of("pyservice"),
					Duration.ofSeconds(60));
					PythonCeleryWorker unlocker = python.startWorker(celery, List.of("celery"),
							Duration.ofSeconds(60))) {
				py = new Figures(plain(tasks, "pyservice"), chains(workflows, "pyservice"),
						chord(workflows, "pyservice"));
			}
			System.out.printf("%n%-34s %12s %12s%n", "", "Celeriac", "Celery 5.2.6");
			System.out.printf("%-34s %12.0f %12.0f%n", "plain tasks/s (baseline)", java.plainTasksPerSecond(),
					py.plainTasksPerSecond());
			System.out.printf("%-34s %12.0f %12.0f%n", "chain steps/s (" + CHAINS + " chains in flight)",
					java.chainStepsPerSecond(), py.chainStepsPerSecond());
			System.out.printf("%-34s %12.0f %12.0f%n", "chord of " + MEMBERS + ": members/s to body done",
					java.chordMembersPerSecond(), py.chordMembersPerSecond());
			System.out.printf("%nratio Celeriac / Celery: chains %.1f, chord %.1f%n",
					java.chainStepsPerSecond() / py.chainStepsPerSecond(),
					java.chordMembersPerSecond() / py.chordMembersPerSecond());
			watcher.destroy();
		}
		finally {
			topology.bindings().forEach((binding) -> broker.deleteQueue(binding.queue()));
			topology.errorQueueNames().forEach(broker::deleteQueue);
			broker.destroy();
			connectionFactory.destroy();
			pool.close();
			execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
		}
	}

	private static double plain(BrokerTaskClient tasks, String service) {
		int count = CHAINS * STEPS;
		long start = System.nanoTime();
		List<TaskHandle<Object>> handles = new ArrayList<>();
		for (int task = 0; task < count; task++) {
			handles
				.add(tasks.send(service + ".add", List.of(task, 0), Map.of(), io.celeriac.task.TaskOptions.defaults()));
		}
		for (TaskHandle<Object> handle : handles) {
			handle.await(TIMEOUT);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		double rate = count / seconds;
		System.out.printf("%-10s %d plain tasks in %6.2f s = %7.0f tasks/s%n", service, count, seconds, rate);
		return rate;
	}

	private static double chains(WorkflowClient workflows, String service) {
		long start = System.nanoTime();
		List<TaskHandle<Object>> last = new ArrayList<>();
		for (int chain = 0; chain < CHAINS; chain++) {
			List<Signature> steps = new ArrayList<>();
			steps.add(Signature.of(service + ".add", chain, 0));
			for (int step = 1; step < STEPS; step++) {
				steps.add(Signature.of(service + ".add", 0));
			}
			last.add(workflows.send(Workflow.chain(steps)));
		}
		for (int chain = 0; chain < CHAINS; chain++) {
			Object value = last.get(chain).await(TIMEOUT);
			if (!Integer.valueOf(chain).equals(value)) {
				throw new IllegalStateException("Chain " + chain + " of " + service + " gave " + value);
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		double rate = CHAINS * STEPS / seconds;
		System.out.printf("%-10s %d chains of %d steps in %6.2f s = %7.0f steps/s%n", service, CHAINS, STEPS, seconds,
				rate);
		return rate;
	}

	private static double chord(WorkflowClient workflows, String service) {
		long start = System.nanoTime();
		List<Signature> header = IntStream.range(0, MEMBERS)
			.mapToObj((i) -> Signature.of(service + ".add", i, 0))
			.toList();
		Object total = workflows.send(Workflow.chord(header, Signature.of(service + ".tsum"))).await(TIMEOUT);
		double seconds = (System.nanoTime() - start) / 1e9;
		int expected = IntStream.range(0, MEMBERS).sum();
		if (!Integer.valueOf(expected).equals(total)) {
			throw new IllegalStateException("Chord of " + service + " gave " + total + ", not " + expected);
		}
		double rate = MEMBERS / seconds;
		System.out.printf("%-10s chord of %d members in %6.2f s = %7.0f members/s%n", service, MEMBERS, seconds, rate);
		return rate;
	}

	private static void execute(String url, String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private record Figures(double plainTasksPerSecond, double chainStepsPerSecond, double chordMembersPerSecond) {

	}

	/**
	 * The benchmark's Java tasks, the Python app's {@code add} and {@code tsum}.
	 */
	public static class Tasks {

		/**
		 * Adds.
		 * @param x a number
		 * @param y another
		 * @return the sum
		 */
		public int add(int x, int y) {
			return x + y;
		}

		/**
		 * Sums.
		 * @param values the numbers
		 * @return their sum
		 */
		public int tsum(List<Integer> values) {
			return values.stream().mapToInt(Integer::intValue).sum();
		}

	}

}

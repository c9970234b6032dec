package io.celeriac.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import io.celeriac.monitor.CompositeTaskHistory;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskPage;
import io.celeriac.monitor.TaskQuery;
import io.celeriac.monitor.jdbc.JdbcTaskHistory;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * Times each query a task dashboard makes on a big history: 1,000,000 tasks in the
 * monitor's table and Celery's result table on PostgreSQL (see {@link TaskHistoryData}
 * for how they are spread), through the {@link JdbcTaskHistory} (one SQL join) and the
 * {@link CompositeTaskHistory} over the same tables (the task table searched, each state
 * read from the result store). Each query runs a few times to warm up, then
 * {@code -Druns} times (20; {@code -DcompositeRuns}, 5, for the composite); the median
 * and the slowest are printed. The timeline is timed on a new history each time (nothing
 * remembered), then asked again of the same one, as a dashboard polling it does.
 * PostgreSQL from BENCH_POSTGRES_URL (jdbc:postgresql://127.0.0.1:5432/postgres, user
 * postgres), in a schema of its own that is dropped afterwards unless
 * {@code -Dkeep=true}.
 *
 * @author Celeriac team
 */
public final class TaskHistoryTimings {

	private static final int TASKS = Integer.getInteger("tasks", 1_000_000);

	private static final double RECENT_SHARE = Double.parseDouble(System.getProperty("recentShare", "0.02"));

	private static final int RUNS = Integer.getInteger("runs", 20);

	private static final int COMPOSITE_RUNS = Integer.getInteger("compositeRuns", 5);

	private static final int PAGE = Integer.getInteger("page", 50);

	private TaskHistoryTimings() {
	}

	public static void main(String[] args) throws Exception {
		String postgresUrl = System.getenv()
			.getOrDefault("BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
		String schema = System.getProperty("schema",
				"bench_history_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
		boolean keep = Boolean.getBoolean("keep");
		execute(postgresUrl, "CREATE SCHEMA IF NOT EXISTS " + schema);
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
		dataSource.setUsername("postgres");
		dataSource.setMaximumPoolSize(2);
		try {
			long start = System.nanoTime();
			TaskHistoryData.Filled data = TaskHistoryData.fill(dataSource, TASKS, RECENT_SHARE);
			System.out.printf("filled %,d tasks in %.1f s (schema %s)%n%n", data.tasks(),
					(System.nanoTime() - start) / 1e9, schema);
			CeleryResultFormat format = new CeleryResultFormat(new JsonMapper());
			Supplier<TaskHistory> newJdbc = () -> new JdbcTaskHistory(dataSource, format);
			Supplier<TaskHistory> newComposite = () -> new CompositeTaskHistory(
					new JdbcTaskRecordStore(dataSource, format.mapper()), new JdbcResultStore(dataSource, format));
			TaskHistory jdbc = newJdbc.get();
			TaskHistory composite = newComposite.get();
			Map<String, Function<TaskHistory, Object>> queries = queries(data, jdbc,
					(history) -> (history == jdbc) ? newJdbc.get() : newComposite.get());
			System.out.printf("%-44s %12s %12s %12s %12s%n", "", "JDBC median", "JDBC max", "composite", "composite");
			System.out.printf("%-44s %12s %12s %12s %12s%n", "query (" + PAGE + " per page)", "ms", "ms", "median ms",
					"max ms");
			for (Map.Entry<String, Function<TaskHistory, Object>> query : queries.entrySet()) {
				double[] jdbcTimes = time(() -> query.getValue().apply(jdbc), 3, RUNS);
				double[] compositeTimes = time(() -> query.getValue().apply(composite), 1, COMPOSITE_RUNS);
				System.out.printf("%-44s %12.2f %12.2f %12.2f %12.2f   %s%n", query.getKey(), median(jdbcTimes),
						max(jdbcTimes), median(compositeTimes), max(compositeTimes),
						describe(query.getValue().apply(jdbc)));
			}
		}
		finally {
			dataSource.close();
			if (!keep) {
				execute(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
			}
		}
	}

	private static Map<String, Function<TaskHistory, Object>> queries(TaskHistoryData.Filled data, TaskHistory jdbc,
			Function<TaskHistory, TaskHistory> fresh) {
		Instant now = data.now();
		TaskQuery recent = TaskQuery.recent(PAGE);
		TaskPage first = jdbc.search(recent);
		Map<String, Function<TaskHistory, Object>> queries = new LinkedHashMap<>();
		queries.put("recent tasks, first page", (history) -> history.search(recent));
		queries.put("recent tasks, second page", (history) -> history.search(recent.after(first.next())));
		queries.put("page after 2/3 of the history", (history) -> history.search(recent.after(data.deep())));
		List<String> names = data.names();
		queries.put("name " + names.get(0) + " (50%)", (history) -> history.search(byName(names.get(0))));
		queries.put("name " + names.get(0) + ", deep page",
				(history) -> history.search(byName(names.get(0)).after(data.deep())));
		queries.put("name " + names.get(names.size() - 1) + " (0.1%)",
				(history) -> history.search(byName(names.get(names.size() - 1))));
		for (TaskState state : List.of(TaskState.SUCCESS, TaskState.FAILURE, TaskState.PENDING, TaskState.RETRY,
				TaskState.REVOKED)) {
			queries.put("state " + state, (history) -> history.search(byState(state)));
		}
		queries.put("name " + names.get(0) + ", state FAILURE", (history) -> history
			.search(new TaskQuery(null, names.get(0), TaskState.FAILURE, null, null, null, PAGE)));
		Instant tenDaysAgo = now.minus(Duration.ofDays(10));
		queries.put("seen in one day, 10 days ago", (history) -> history
			.search(new TaskQuery(null, null, null, tenDaysAgo.minus(Duration.ofDays(1)), tenDaysAgo, null, PAGE)));
		queries.put("seen in one day, state FAILURE", (history) -> history.search(new TaskQuery(null, null,
				TaskState.FAILURE, tenDaysAgo.minus(Duration.ofDays(1)), tenDaysAgo, null, PAGE)));
		queries.put("by id",
				(history) -> history.search(new TaskQuery(data.someTask(), null, null, null, null, null, PAGE)));
		queries.put("detail with 10 children", (history) -> history.find(data.someParent()).orElseThrow());
		queries.put("detail of a failed task", (history) -> history.find(data.failedTask()).orElseThrow());
		queries.put("timeline of the last hour, first time",
				(history) -> fresh.apply(history).timeline(Instant.now().minus(Duration.ofHours(1))));
		queries.put("timeline of the last hour, asked again",
				(history) -> history.timeline(Instant.now().minus(Duration.ofHours(1))));
		return queries;
	}

	private static TaskQuery byName(String name) {
		return new TaskQuery(null, name, null, null, null, null, PAGE);
	}

	private static TaskQuery byState(TaskState state) {
		return new TaskQuery(null, null, state, null, null, null, PAGE);
	}

	private static String describe(Object answer) {
		if (answer instanceof TaskPage page) {
			return page.tasks().size() + " tasks" + ((page.next() != null) ? ", more" : "");
		}
		if (answer instanceof io.celeriac.monitor.TaskDetail detail) {
			return detail.children().size() + " children";
		}
		if (answer instanceof io.celeriac.monitor.TaskTimeline timeline) {
			return timeline.minutes().size() + " minutes, "
					+ timeline.minutes()
						.stream()
						.flatMap((minute) -> minute.counts().values().stream())
						.mapToLong(Long::longValue)
						.sum()
					+ " tasks";
		}
		return String.valueOf(answer);
	}

	private static double[] time(Supplier<Object> query, int warmups, int runs) {
		for (int i = 0; i < warmups; i++) {
			query.get();
		}
		double[] millis = new double[runs];
		for (int i = 0; i < runs; i++) {
			long start = System.nanoTime();
			query.get();
			millis[i] = (System.nanoTime() - start) / 1e6;
		}
		Arrays.sort(millis);
		return millis;
	}

	private static double median(double[] sorted) {
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	private static double max(double[] sorted) {
		return sorted[sorted.length - 1];
	}

	private static void execute(String url, String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}

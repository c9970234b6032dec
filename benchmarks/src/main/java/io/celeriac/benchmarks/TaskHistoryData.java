package io.celeriac.benchmarks;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import javax.sql.DataSource;

import io.celeriac.monitor.TaskCursor;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.PickleCodec;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Fills a PostgreSQL database with a big task history: the monitor's
 * {@code celeriac_task} and Celery's {@code celery_taskmeta} (created from the project's
 * schema scripts if missing), for timing the {@code TaskHistory} and the dashboard pages
 * on it. Rows go in with {@code COPY}, about 15 s for 1,000,000 tasks, then the tables
 * are analyzed.
 * <p>
 * The history, relative to the time of the fill: {@code 1 - recentShare} of the tasks
 * seen evenly over the 30 days before the last hour, the rest evenly over the last hour
 * (by default 980,000 and 20,000: a quiet month and a busy hour). Task names: ten, from
 * {@code reports.generate} (about half the tasks) down to {@code audit.rare} (0.1%).
 * States: 1% FAILURE (with a traceback), 0.2% RETRY, 0.05% REVOKED, no result (PENDING)
 * for 0.5%, the rest SUCCESS; in the last two minutes a third of the tasks are STARTED or
 * PENDING, as tasks still running. One task in 50 starts a workflow of 10 children
 * ({@code parent_id} set). Task ids are random UUIDs, as Celery makes them.
 *
 * @author Celeriac team
 */
public final class TaskHistoryData {

	/**
	 * The task names, with their weights (in tenths of a percent).
	 */
	private static final String[] NAMES = { "reports.generate", "exports.run", "mail.send", "images.resize",
			"billing.invoice", "search.index", "cache.warm", "flow.start", "flow.step", "audit.rare" };

	private static final int[] NAME_WEIGHTS = { 500, 150, 120, 80, 50, 40, 30, 14, 15, 1 };

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

	private static final int CHUNK = 50_000;

	private TaskHistoryData() {
	}

	/**
	 * Creates the tables if missing and fills them with a history ending now.
	 * @param dataSource a PostgreSQL database, whose current schema receives the tables
	 * @param tasks how many tasks
	 * @param recentShare the share of them seen in the last hour
	 * @return what the history holds, to query it
	 * @throws Exception if the database fails
	 */
	public static Filled fill(DataSource dataSource, int tasks, double recentShare) throws Exception {
		return fill(dataSource, tasks, recentShare, Instant.now().truncatedTo(ChronoUnit.MICROS), 42);
	}

	/**
	 * Creates the tables if missing and fills them with a history.
	 * @param dataSource a PostgreSQL database, whose current schema receives the tables
	 * @param tasks how many tasks
	 * @param recentShare the share of them seen in the hour before {@code now}
	 * @param now when the history ends
	 * @param seed the seed of the random choices, for the same history every time
	 * @return what the history holds, to query it
	 * @throws Exception if the database fails
	 */
	public static Filled fill(DataSource dataSource, int tasks, double recentShare, Instant now, long seed)
			throws Exception {
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/monitor/jdbc/schema-postgresql.sql"),
				new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"))
			.execute(dataSource);
		SplittableRandom random = new SplittableRandom(seed);
		PickleCodec pickles = new PickleCodec();
		String success = hex(pickles.dump(Map.of("rows", 3, "file", "report.csv")));
		String failure = hex(pickles.dump(Map.of("exc_type", "ValueError", "exc_module", "builtins", "exc_message",
				List.of("report 42 has no rows"))));
		String retry = hex(pickles.dump(Map.of("exc_type", "ConnectionError", "exc_module", "builtins", "exc_message",
				List.of("database unavailable"))));
		String revoked = hex(pickles.dump(Map.of("exc_type", "TaskRevokedError", "exc_module", "celery.exceptions",
				"exc_message", List.of("expired"))));
		String traceback = "\"Traceback (most recent call last):\n  File \"\"/app/tasks.py\"\", line 42, in generate\n"
				+ "    raise ValueError('report 42 has no rows')\nValueError: report 42 has no rows\n\"";
		int recent = (int) Math.round(tasks * recentShare);
		long oldMicros = Duration.ofDays(30).toNanos() / 1000;
		long hourMicros = Duration.ofHours(1).toNanos() / 1000;
		Instant hourAgo = now.minus(Duration.ofHours(1));
		String someTask = null;
		String someParent = null;
		String failedTask = null;
		Instant deepSeen = null;
		String deepTask = null;
		try (Connection connection = dataSource.getConnection()) {
			CopyManager copy = new CopyManager(connection.unwrap(BaseConnection.class));
			StringBuilder taskRows = new StringBuilder();
			StringBuilder resultRows = new StringBuilder();
			String parent = null;
			int children = 0;
			for (int i = 0; i < tasks; i++) {
				// oldest first
				Instant seen = (i < tasks - recent)
						? hourAgo.minus(oldMicros - (oldMicros * i / (tasks - recent)), ChronoUnit.MICROS)
						: hourAgo.plus(hourMicros * (i - (tasks - recent)) / recent, ChronoUnit.MICROS);
				String id = uuid(random);
				String name;
				String parentId = null;
				if (children > 0) {
					name = "flow.step";
					parentId = parent;
					children--;
				}
				else {
					name = name(random);
					if (random.nextInt(50) == 0) {
						parent = id;
						children = 10;
						name = "flow.start";
						if (i > tasks / 2 && someParent == null) {
							someParent = id;
						}
					}
				}
				if (i == tasks / 3) {
					deepSeen = seen;
					deepTask = id;
				}
				if (i == tasks / 2) {
					someTask = id;
				}
				taskRows.append(id)
					.append(',')
					.append(name)
					.append(",\"[42, \"\"x\"\"]\",\"{\"\"fmt\"\": \"\"csv\"\"}\",")
					.append(name, 0, name.indexOf('.'))
					.append(",,,")
					.append((parentId != null) ? parentId : "")
					.append(',')
					.append((parentId != null) ? parentId : id)
					.append(",,0,gen1@host,")
					.append(TIMESTAMP.format(LocalDateTime.ofInstant(seen, ZoneOffset.UTC)))
					.append('\n');
				TaskState state = state(random, seen.isAfter(now.minus(Duration.ofMinutes(2))));
				if (state == TaskState.FAILURE && failedTask == null && i > tasks / 2) {
					failedTask = id;
				}
				if (state != TaskState.PENDING) {
					boolean started = state == TaskState.STARTED;
					String result = switch (state) {
						case SUCCESS -> success;
						case FAILURE -> failure;
						case RETRY -> retry;
						case REVOKED -> revoked;
						default -> hex(pickles.dump(Map.of("pid", 4242, "hostname", "worker@host")));
					};
					resultRows.append(i + 1)
						.append(',')
						.append(id)
						.append(',')
						.append(state.name())
						.append(",\\x")
						.append(result)
						.append(',')
						.append(started ? ""
								: TIMESTAMP.format(LocalDateTime.ofInstant(seen.plusMillis(200), ZoneOffset.UTC)))
						.append(',')
						.append((state == TaskState.FAILURE) ? traceback : "")
						.append(',')
						.append(name)
						.append(",\\x5b34325d,\\x7b7d,worker@host,0,")
						.append(name, 0, name.indexOf('.'))
						.append('\n');
				}
				if ((i + 1) % CHUNK == 0 || i == tasks - 1) {
					copy.copyIn("COPY celeriac_task (task_id, name, args, kwargs, routing_key, eta, expires, "
							+ "parent_id, root_id, group_id, retries, origin, seen_at) FROM STDIN WITH (FORMAT csv)",
							new StringReader(taskRows.toString()));
					copy.copyIn(
							"COPY celery_taskmeta (id, task_id, status, result, date_done, traceback, name, "
									+ "args, kwargs, worker, retries, queue) FROM STDIN WITH (FORMAT csv)",
							new StringReader(resultRows.toString()));
					taskRows.setLength(0);
					resultRows.setLength(0);
				}
			}
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT setval('task_id_sequence', " + (tasks + 1) + ")");
				statement.execute("VACUUM ANALYZE celeriac_task");
				statement.execute("VACUUM ANALYZE celery_taskmeta");
			}
		}
		return new Filled(tasks, now, someTask, failedTask, someParent, new TaskCursor(deepSeen, deepTask));
	}

	private static String name(SplittableRandom random) {
		int pick = random.nextInt(1000);
		for (int i = 0; i < NAMES.length; i++) {
			pick -= NAME_WEIGHTS[i];
			if (pick < 0) {
				return NAMES[i];
			}
		}
		return NAMES[0];
	}

	private static TaskState state(SplittableRandom random, boolean running) {
		if (running) {
			int pick = random.nextInt(6);
			if (pick == 0) {
				return TaskState.STARTED;
			}
			if (pick == 1) {
				return TaskState.PENDING;
			}
		}
		int pick = random.nextInt(10_000);
		if (pick < 100) {
			return TaskState.FAILURE;
		}
		if (pick < 120) {
			return TaskState.RETRY;
		}
		if (pick < 125) {
			return TaskState.REVOKED;
		}
		if (pick < 175) {
			return TaskState.PENDING;
		}
		return TaskState.SUCCESS;
	}

	private static String uuid(SplittableRandom random) {
		return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
				(random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
			.toString();
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * What a fill wrote, to query it.
	 *
	 * @param tasks how many tasks
	 * @param now when the history ends
	 * @param someTask a task in the middle of the history
	 * @param failedTask a failed task in the second half of the history
	 * @param someParent a task with 10 children, in the second half of the history
	 * @param deep the cursor of the task a third into the history from its start (two
	 * thirds of the tasks are newer)
	 */
	public record Filled(int tasks, Instant now, String someTask, String failedTask, String someParent,
			TaskCursor deep) {

		/**
		 * The task names of the history, the most common first; the last is seen for one
		 * task in a thousand.
		 * @return the names
		 */
		public List<String> names() {
			return new ArrayList<>(List.of(NAMES));
		}

	}

}

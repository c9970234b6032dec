package io.celeriac.monitor.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.celeriac.monitor.CompositeTaskHistory;
import io.celeriac.monitor.TaskCursor;
import io.celeriac.monitor.TaskDetail;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskPage;
import io.celeriac.monitor.TaskQuery;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskSummary;
import io.celeriac.monitor.TaskTimeline;
import io.celeriac.monitor.TimelineCache;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link TaskHistory} of a database holding both the monitor's {@code celeriac_task}
 * table and Celery's {@code celery_taskmeta} table (PostgreSQL or H2): each search, list
 * of children and timeline is one query over the two, related by {@code task_id}, the
 * state being {@link TaskState#PENDING} where no result row exists.
 * <p>
 * Searches read the newest tasks first from the index on {@code celeriac_task (seen_at,
 * task_id)}, or {@code (name, seen_at, task_id)} with a name, and page by keyset
 * ({@code (seen_at, task_id) < (?, ?)}, written so that both databases bound the index
 * range with it). Each task's state comes from {@code celery_taskmeta}'s unique index on
 * {@code task_id}: no index is added to the result table, whose writes stay as fast as
 * Celery's. A search by state therefore examines tasks newest first until the page is
 * full, and at most {@link #getStateScanLimit() the state scan limit} of them (10,000
 * unless configured otherwise, a few tens of milliseconds on PostgreSQL): when the limit
 * comes first, the page holds fewer tasks than asked, possibly none, and its
 * {@link TaskPage#next() next} cursor goes on after the last task examined. Rare states
 * thus take several pages to reach far back, but no search reads the whole history. The
 * timeline probes the result table's index once for each task of the period (with
 * PostgreSQL's JIT compilation off for that query: it costs more than it saves), except
 * in the minutes a {@link TimelineCache} remembers, so that asking for the last hour
 * every few seconds counts only its last minutes. A task's detail reads its record and
 * result as {@link JdbcTaskRecordStore} and {@link JdbcResultStore} do, and lists at most
 * {@link CompositeTaskHistory#MAX_CHILDREN} children.
 *
 * @author Celeriac team
 */
public class JdbcTaskHistory implements TaskHistory {

	/**
	 * The most tasks a search with a state examines, unless configured otherwise.
	 */
	public static final int DEFAULT_STATE_SCAN_LIMIT = 10_000;

	private static final String SUMMARY = "SELECT t.task_id, t.name, t.routing_key, t.seen_at, t.retries, m.status, "
			+ "m.date_done, m.worker";

	private static final String ORDER = " ORDER BY seen_at DESC, task_id DESC";

	private final JdbcTemplate jdbc;

	private final JdbcTaskRecordStore records;

	private final JdbcResultStore results;

	private final int stateScanLimit;

	private final TimelineCache timelineCache = new TimelineCache();

	private final TransactionTemplate transactions;

	private volatile @Nullable Boolean postgresql;

	/**
	 * Creates a history.
	 * @param dataSource the database holding {@code celeriac_task} and
	 * {@code celery_taskmeta}
	 * @param format reads results as the {@link JdbcResultStore} does, and the task
	 * arguments as JSON
	 */
	public JdbcTaskHistory(DataSource dataSource, CeleryResultFormat format) {
		this(dataSource, format, DEFAULT_STATE_SCAN_LIMIT);
	}

	/**
	 * Creates a history.
	 * @param dataSource the database holding {@code celeriac_task} and
	 * {@code celery_taskmeta}
	 * @param format reads results as the {@link JdbcResultStore} does, and the task
	 * arguments as JSON
	 * @param stateScanLimit the most tasks a search with a state examines
	 */
	public JdbcTaskHistory(DataSource dataSource, CeleryResultFormat format, int stateScanLimit) {
		if (stateScanLimit < 1) {
			throw new IllegalArgumentException("The state scan limit must be positive, was " + stateScanLimit);
		}
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.records = new JdbcTaskRecordStore(dataSource, format.mapper());
		this.results = new JdbcResultStore(dataSource, format);
		this.stateScanLimit = stateScanLimit;
	}

	/**
	 * Returns the most tasks a search with a state examines.
	 * @return the limit
	 */
	public int getStateScanLimit() {
		return this.stateScanLimit;
	}

	@Override
	public TaskPage search(TaskQuery query) {
		List<Object> parameters = new ArrayList<>();
		String where = JdbcTaskRecordStore.where("", query.name(), query.seenFrom(), query.seenTo(), query.after(),
				parameters);
		if (query.taskId() != null) {
			where += (where.isEmpty() ? " WHERE " : " AND ") + "task_id = ?";
			parameters.add(query.taskId());
		}
		String keys = "SELECT task_id, seen_at FROM celeriac_task" + where + ORDER;
		List<Object> keyParameters = new ArrayList<>(parameters);
		TaskState state = query.state();
		String page;
		if (state == null) {
			page = keys + " LIMIT ?";
		}
		else {
			// the state of each task examined, newest first, read from celery_taskmeta's
			// unique index on task_id; a subquery rather than a join, so that the
			// database probes that index for the examined tasks only
			page = "SELECT k.task_id, k.seen_at FROM (" + keys + " LIMIT ?) k WHERE COALESCE((SELECT r.status FROM "
					+ "celery_taskmeta r WHERE r.task_id = k.task_id), 'PENDING') = ? ORDER BY k.seen_at DESC, "
					+ "k.task_id DESC LIMIT ?";
			parameters.add(this.stateScanLimit);
			parameters.add(state.name());
		}
		// one more than the page holds tells whether there is a next page
		parameters.add(query.limit() + 1);
		List<TaskSummary> found = this.jdbc.query(SUMMARY + " FROM (" + page + ") p JOIN celeriac_task t ON "
				+ "t.task_id = p.task_id LEFT JOIN celery_taskmeta m ON m.task_id = t.task_id ORDER BY t.seen_at DESC, "
				+ "t.task_id DESC", (resultSet, row) -> summary(resultSet), parameters.toArray());
		if (found.size() > query.limit()) {
			List<TaskSummary> tasks = found.subList(0, query.limit());
			return new TaskPage(tasks, tasks.get(tasks.size() - 1).cursor());
		}
		if (state == null) {
			return new TaskPage(found, null);
		}
		// the page is not full: go on after the last task examined, unless it was the
		// last one there is
		keyParameters.add(this.stateScanLimit - 1);
		TaskCursor last = this.jdbc
			.query(keys + " LIMIT 1 OFFSET ?",
					(resultSet, row) -> new TaskCursor(instant(resultSet.getObject("seen_at", LocalDateTime.class)),
							resultSet.getString("task_id")),
					keyParameters.toArray())
			.stream()
			.findFirst()
			.orElse(null);
		return new TaskPage(found, last);
	}

	@Override
	public Optional<TaskDetail> find(String taskId) {
		TaskRecord record = this.records.find(taskId).orElse(null);
		TaskResult result = this.results.find(taskId).orElse(null);
		if (record == null && result == null) {
			return Optional.empty();
		}
		List<TaskSummary> children = this.jdbc.query(
				SUMMARY + " FROM celeriac_task t LEFT JOIN celery_taskmeta m ON m.task_id = t.task_id "
						+ "WHERE t.parent_id = ? ORDER BY t.seen_at, t.task_id LIMIT ?",
				(resultSet, row) -> summary(resultSet), taskId, CompositeTaskHistory.MAX_CHILDREN);
		return Optional.of(new TaskDetail(taskId, record, result, children));
	}

	@Override
	public TaskTimeline timeline(Instant since) {
		return this.timelineCache.timeline(since, this::count);
	}

	private Map<Instant, Map<TaskState, Long>> count(Instant from, @Nullable Instant to) {
		Map<Instant, Map<TaskState, Long>> minutes = new TreeMap<>();
		List<Object> parameters = new ArrayList<>();
		parameters.add(JdbcTaskRecordStore.utc(from));
		if (to != null) {
			parameters.add(JdbcTaskRecordStore.utc(to));
		}
		if (isPostgresql()) {
			// the query costs enough for PostgreSQL to compile it (JIT), which takes
			// longer
			// than it saves on a few thousand rows
			this.transactions.executeWithoutResult((status) -> {
				this.jdbc.execute("SET LOCAL jit = off");
				count(parameters, to != null, minutes);
			});
		}
		else {
			count(parameters, to != null, minutes);
		}
		return minutes;
	}

	private void count(List<Object> parameters, boolean bounded, Map<Instant, Map<TaskState, Long>> minutes) {
		// a subquery per task rather than a join: the database probes celery_taskmeta's
		// unique index for the tasks of the period only, never reading the whole table
		this.jdbc.query("SELECT s.minute_start, s.task_state, COUNT(*) AS task_count FROM (SELECT "
				+ "DATE_TRUNC('minute', t.seen_at) AS minute_start, COALESCE((SELECT r.status FROM celery_taskmeta r "
				+ "WHERE r.task_id = t.task_id), 'PENDING') AS task_state FROM celeriac_task t WHERE t.seen_at >= ?"
				+ (bounded ? " AND t.seen_at < ?" : "") + ") s GROUP BY s.minute_start, s.task_state", (resultSet) -> {
					Instant minute = instant(resultSet.getObject("minute_start", LocalDateTime.class));
					minutes.computeIfAbsent(minute, (start) -> new EnumMap<>(TaskState.class))
						.merge(state(resultSet.getString("task_state")), resultSet.getLong("task_count"), Long::sum);
				}, parameters.toArray());
	}

	private boolean isPostgresql() {
		Boolean known = this.postgresql;
		if (known == null) {
			try {
				known = "PostgreSQL".equalsIgnoreCase(JdbcUtils.extractDatabaseMetaData(this.jdbc.getDataSource(),
						DatabaseMetaData::getDatabaseProductName));
			}
			catch (MetaDataAccessException ex) {
				throw new IllegalStateException("Cannot tell which database holds the task table: " + ex.getMessage(),
						ex);
			}
			this.postgresql = known;
		}
		return known;
	}

	private static TaskSummary summary(ResultSet resultSet) throws SQLException {
		LocalDateTime dateDone = resultSet.getObject("date_done", LocalDateTime.class);
		return new TaskSummary(resultSet.getString("task_id"), resultSet.getString("name"),
				resultSet.getString("routing_key"), instant(resultSet.getObject("seen_at", LocalDateTime.class)),
				resultSet.getInt("retries"), state(resultSet.getString("status")),
				(dateDone != null) ? instant(dateDone) : null, resultSet.getString("worker"));
	}

	private static TaskState state(@Nullable String status) {
		if (status == null) {
			return TaskState.PENDING;
		}
		try {
			return TaskState.valueOf(status);
		}
		catch (IllegalArgumentException ex) {
			// a custom state a Python task recorded: still not done as far as we know
			return TaskState.PENDING;
		}
	}

	private static Instant instant(LocalDateTime utc) {
		return utc.toInstant(ZoneOffset.UTC);
	}

}

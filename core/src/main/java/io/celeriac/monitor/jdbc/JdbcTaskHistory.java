package io.celeriac.monitor.jdbc;

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
import io.celeriac.monitor.TaskDetail;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskPage;
import io.celeriac.monitor.TaskQuery;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskSummary;
import io.celeriac.monitor.TaskTimeline;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@link TaskHistory} of a database holding both the monitor's {@code celeriac_task}
 * table and Celery's {@code celery_taskmeta} table (PostgreSQL or H2): each search, list
 * of children and timeline is one query joining the two on {@code task_id}, the state
 * being {@link TaskState#PENDING} where no result row exists.
 * <p>
 * Searches read the newest tasks first from the index on {@code celeriac_task (seen_at,
 * task_id)}, or {@code (name, seen_at, task_id)} with a name, and page by keyset (see the
 * schema scripts); each task's state comes from {@code celery_taskmeta}'s unique index on
 * {@code task_id}, so that no index is added to the result table, whose writes stay as
 * fast as Celery's. A search by state therefore reads tasks newest first until a page is
 * full: quick for any state that is not rare among the tasks searched. A task's detail
 * reads its record and result as {@link JdbcTaskRecordStore} and {@link JdbcResultStore}
 * do, and lists at most {@link CompositeTaskHistory#MAX_CHILDREN} children.
 *
 * @author Celeriac team
 */
public class JdbcTaskHistory implements TaskHistory {

	private static final String SUMMARY = "SELECT t.task_id, t.name, t.routing_key, t.seen_at, t.retries, m.status, "
			+ "m.date_done FROM celeriac_task t LEFT JOIN celery_taskmeta m ON m.task_id = t.task_id";

	private final JdbcTemplate jdbc;

	private final JdbcTaskRecordStore records;

	private final JdbcResultStore results;

	/**
	 * Creates a history.
	 * @param dataSource the database holding {@code celeriac_task} and
	 * {@code celery_taskmeta}
	 * @param format reads results as the {@link JdbcResultStore} does, and the task
	 * arguments as JSON
	 */
	public JdbcTaskHistory(DataSource dataSource, CeleryResultFormat format) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.records = new JdbcTaskRecordStore(dataSource, format.mapper());
		this.results = new JdbcResultStore(dataSource, format);
	}

	@Override
	public TaskPage search(TaskQuery query) {
		List<Object> parameters = new ArrayList<>();
		StringBuilder sql = new StringBuilder(SUMMARY).append(JdbcTaskRecordStore.where("t.", query.name(),
				query.seenFrom(), query.seenTo(), query.after(), parameters));
		String and = parameters.isEmpty() ? " WHERE " : " AND ";
		if (query.taskId() != null) {
			sql.append(and).append("t.task_id = ?");
			parameters.add(query.taskId());
			and = " AND ";
		}
		TaskState state = query.state();
		if (state == TaskState.PENDING) {
			sql.append(and).append("(m.status IS NULL OR m.status = 'PENDING')");
		}
		else if (state != null) {
			sql.append(and).append("m.status = ?");
			parameters.add(state.name());
		}
		sql.append(" ORDER BY t.seen_at DESC, t.task_id DESC LIMIT ?");
		// one more than the page holds tells whether there is a next page
		parameters.add(query.limit() + 1);
		List<TaskSummary> found = this.jdbc.query(sql.toString(), (resultSet, row) -> summary(resultSet),
				parameters.toArray());
		if (found.size() > query.limit()) {
			List<TaskSummary> page = found.subList(0, query.limit());
			return new TaskPage(page, page.get(page.size() - 1).cursor());
		}
		return new TaskPage(found, null);
	}

	@Override
	public Optional<TaskDetail> find(String taskId) {
		TaskRecord record = this.records.find(taskId).orElse(null);
		TaskResult result = this.results.find(taskId).orElse(null);
		if (record == null && result == null) {
			return Optional.empty();
		}
		List<TaskSummary> children = this.jdbc.query(
				SUMMARY + " WHERE t.parent_id = ? ORDER BY t.seen_at, t.task_id LIMIT ?",
				(resultSet, row) -> summary(resultSet), taskId, CompositeTaskHistory.MAX_CHILDREN);
		return Optional.of(new TaskDetail(taskId, record, result, children));
	}

	@Override
	public TaskTimeline timeline(Instant since) {
		Map<Instant, Map<TaskState, Long>> minutes = new TreeMap<>();
		this.jdbc
			.query("SELECT DATE_TRUNC('minute', t.seen_at) AS minute_start, COALESCE(m.status, 'PENDING') AS task_state, "
					+ "COUNT(*) AS task_count FROM celeriac_task t LEFT JOIN celery_taskmeta m ON m.task_id = t.task_id "
					+ "WHERE t.seen_at >= ? GROUP BY DATE_TRUNC('minute', t.seen_at), COALESCE(m.status, 'PENDING')",
					(resultSet) -> {
						Instant minute = instant(resultSet.getObject("minute_start", LocalDateTime.class));
						minutes.computeIfAbsent(minute, (start) -> new EnumMap<>(TaskState.class))
							.merge(state(resultSet.getString("task_state")), resultSet.getLong("task_count"),
									Long::sum);
					}, JdbcTaskRecordStore.utc(since));
		List<TaskTimeline.Minute> timeline = new ArrayList<>();
		minutes.forEach((start, counts) -> timeline.add(new TaskTimeline.Minute(start, counts)));
		return new TaskTimeline(since, timeline);
	}

	private static TaskSummary summary(ResultSet resultSet) throws SQLException {
		LocalDateTime dateDone = resultSet.getObject("date_done", LocalDateTime.class);
		return new TaskSummary(resultSet.getString("task_id"), resultSet.getString("name"),
				resultSet.getString("routing_key"), instant(resultSet.getObject("seen_at", LocalDateTime.class)),
				resultSet.getInt("retries"), state(resultSet.getString("status")),
				(dateDone != null) ? instant(dateDone) : null);
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

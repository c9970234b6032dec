package io.celeriac.monitor.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.celeriac.monitor.TaskCursor;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The task table in a SQL database ({@code celeriac_task}, see
 * {@code io/celeriac/monitor/jdbc/schema-*.sql}). It has no foreign key to Celery's
 * {@code celery_taskmeta}: a task's result may be recorded before the monitor sees the
 * task. A message delivered again leaves the first record as it is. Searches read the
 * indexes the schema scripts create: {@code (seen_at, task_id)} for the newest tasks and
 * keyset pages, {@code (name, seen_at, task_id)} for one task name, {@code (parent_id)}
 * for a task's children.
 *
 * @author Celeriac team
 */
public class JdbcTaskRecordStore implements TaskRecordStore {

	private static final String COLUMNS = "task_id, name, args, kwargs, routing_key, eta, expires, parent_id, "
			+ "root_id, group_id, retries, origin, seen_at";

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final ObjectMapper mapper;

	/**
	 * Creates a store.
	 * @param dataSource the database holding {@code celeriac_task}
	 * @param mapper writes and reads the arguments as JSON
	 */
	public JdbcTaskRecordStore(DataSource dataSource, ObjectMapper mapper) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.mapper = mapper;
	}

	/**
	 * Returns the database holding the task table.
	 * @return the DataSource
	 */
	public DataSource getDataSource() {
		return this.dataSource;
	}

	@Override
	public void save(TaskRecord record) {
		try {
			this.jdbc.update(
					"INSERT INTO celeriac_task (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					record.taskId(), record.name(), this.mapper.writeValueAsString(record.args()),
					this.mapper.writeValueAsString(record.kwargs()), record.routingKey(), record.eta(),
					record.expires(), record.parentId(), record.rootId(), record.groupId(), record.retries(),
					record.origin(), utc(record.seenAt()));
		}
		catch (DuplicateKeyException ex) {
			// seen before: a redelivery or a retry of the same task
		}
	}

	@Override
	public Optional<TaskRecord> find(String taskId) {
		return this.jdbc
			.query("SELECT " + COLUMNS + " FROM celeriac_task WHERE task_id = ?", (resultSet, row) -> read(resultSet),
					taskId)
			.stream()
			.findFirst();
	}

	@Override
	public List<TaskRecord> recent(int limit) {
		return this.jdbc.query("SELECT " + COLUMNS + " FROM celeriac_task ORDER BY seen_at DESC, task_id DESC LIMIT ?",
				(resultSet, row) -> read(resultSet), limit);
	}

	@Override
	public List<TaskRecord> search(@Nullable String name, @Nullable Instant seenFrom, @Nullable Instant seenTo,
			@Nullable TaskCursor after, int limit) {
		List<Object> parameters = new ArrayList<>();
		String where = where("", name, seenFrom, seenTo, after, parameters);
		parameters.add(limit);
		return this.jdbc.query(
				"SELECT " + COLUMNS + " FROM celeriac_task" + where + " ORDER BY seen_at DESC, task_id DESC LIMIT ?",
				(resultSet, row) -> read(resultSet), parameters.toArray());
	}

	@Override
	public List<TaskRecord> children(String parentId, int limit) {
		return this.jdbc.query(
				"SELECT " + COLUMNS + " FROM celeriac_task WHERE parent_id = ? ORDER BY seen_at, task_id LIMIT ?",
				(resultSet, row) -> read(resultSet), parentId, limit);
	}

	/**
	 * Writes the {@code WHERE} clause of a search of {@code celeriac_task}, in a form
	 * PostgreSQL and H2 both answer from an index on {@code (seen_at, task_id)} or
	 * {@code (name, seen_at, task_id)}: the keyset condition {@code (seen_at, task_id) <
	 * (?, ?)} is written {@code seen_at <= ? AND (seen_at < ? OR task_id < ?)}, whose
	 * first term bounds the index range.
	 * @param alias the table alias and a dot, or an empty string
	 * @param name the task name, or {@code null}
	 * @param seenFrom the earliest seen-at time (inclusive), or {@code null}
	 * @param seenTo the latest seen-at time (exclusive), or {@code null}
	 * @param after where the previous page ended, or {@code null}
	 * @param parameters receives the parameters, in order
	 * @return the clause, empty when nothing is filtered, else starting with a space
	 */
	static String where(String alias, @Nullable String name, @Nullable Instant seenFrom, @Nullable Instant seenTo,
			@Nullable TaskCursor after, List<Object> parameters) {
		List<String> conditions = new ArrayList<>();
		if (name != null) {
			conditions.add(alias + "name = ?");
			parameters.add(name);
		}
		if (seenFrom != null) {
			conditions.add(alias + "seen_at >= ?");
			parameters.add(utc(seenFrom));
		}
		if (seenTo != null) {
			conditions.add(alias + "seen_at < ?");
			parameters.add(utc(seenTo));
		}
		if (after != null) {
			conditions.add(alias + "seen_at <= ? AND (" + alias + "seen_at < ? OR " + alias + "task_id < ?)");
			parameters.add(utc(after.seenAt()));
			parameters.add(utc(after.seenAt()));
			parameters.add(after.taskId());
		}
		return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
	}

	static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private TaskRecord read(ResultSet resultSet) throws SQLException {
		Timestamp seenAt = resultSet.getTimestamp("seen_at");
		return new TaskRecord(resultSet.getString("task_id"), resultSet.getString("name"),
				this.mapper.readTree(resultSet.getString("args")), this.mapper.readTree(resultSet.getString("kwargs")),
				resultSet.getString("routing_key"), resultSet.getString("eta"), resultSet.getString("expires"),
				resultSet.getString("parent_id"), resultSet.getString("root_id"), resultSet.getString("group_id"),
				resultSet.getInt("retries"), resultSet.getString("origin"),
				seenAt.toLocalDateTime().toInstant(ZoneOffset.UTC));
	}

}

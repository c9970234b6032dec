package io.celeriac.monitor.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import tools.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The task table in a SQL database ({@code celeriac_task}, see
 * {@code io/celeriac/monitor/jdbc/schema-*.sql}). It has no foreign key to Celery's
 * {@code celery_taskmeta}: a task's result may be recorded before the monitor sees the
 * task. A message delivered again leaves the first record as it is.
 *
 * @author Celeriac team
 */
public class JdbcTaskRecordStore implements TaskRecordStore {

	private static final String COLUMNS = "task_id, name, args, kwargs, routing_key, eta, expires, parent_id, "
			+ "root_id, group_id, retries, origin, seen_at";

	private final JdbcTemplate jdbc;

	private final ObjectMapper mapper;

	/**
	 * Creates a store.
	 * @param dataSource the database holding {@code celeriac_task}
	 * @param mapper writes and reads the arguments as JSON
	 */
	public JdbcTaskRecordStore(DataSource dataSource, ObjectMapper mapper) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.mapper = mapper;
	}

	@Override
	public void save(TaskRecord record) {
		try {
			this.jdbc.update(
					"INSERT INTO celeriac_task (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					record.taskId(), record.name(), this.mapper.writeValueAsString(record.args()),
					this.mapper.writeValueAsString(record.kwargs()), record.routingKey(), record.eta(),
					record.expires(), record.parentId(), record.rootId(), record.groupId(), record.retries(),
					record.origin(), LocalDateTime.ofInstant(record.seenAt(), ZoneOffset.UTC));
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
		return this.jdbc.query("SELECT " + COLUMNS + " FROM celeriac_task ORDER BY seen_at DESC, task_id LIMIT ?",
				(resultSet, row) -> read(resultSet), limit);
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

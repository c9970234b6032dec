package io.celeriac.result.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A result store in Celery's {@code celery_taskmeta} table, written exactly as Celery's
 * database backend writes it ({@code result_extended} on), so that Python's
 * {@code AsyncResult(id).get()} reads what Java workers record and the other way round:
 * {@code id} from {@code task_id_sequence}, {@code result} a Python pickle,
 * {@code args}/{@code kwargs} the bytes of their JSON text, {@code date_done} in UTC and
 * empty while STARTED, {@code queue} the routing key. On PostgreSQL each write is an
 * upsert; {@link #saveAll(List)} writes a whole batch in one statement (an upsert of
 * {@code unnest}ed column arrays) and one transaction.
 *
 * @author Celeriac team
 */
public class JdbcResultStore implements ResultStore {

	private static final String COLUMNS = "task_id, status, result, date_done, traceback, name, args, kwargs, "
			+ "worker, retries, queue";

	private static final String POSTGRESQL_UPSERT_CONFLICT = " ON CONFLICT (task_id) DO UPDATE SET "
			+ "status = EXCLUDED.status, result = EXCLUDED.result, date_done = EXCLUDED.date_done, "
			+ "traceback = EXCLUDED.traceback, name = EXCLUDED.name, args = EXCLUDED.args, kwargs = EXCLUDED.kwargs, "
			+ "worker = EXCLUDED.worker, retries = EXCLUDED.retries, queue = EXCLUDED.queue";

	private static final String POSTGRESQL_UPSERT_ONE = "INSERT INTO celery_taskmeta (id, " + COLUMNS + ") VALUES "
			+ "(nextval('task_id_sequence'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + POSTGRESQL_UPSERT_CONFLICT;

	/**
	 * Any number of rows in one statement, one array per column, so that a batch is one
	 * round trip and the driver prepares a single statement.
	 */
	private static final String POSTGRESQL_UPSERT = "INSERT INTO celery_taskmeta (id, " + COLUMNS + ") "
			+ "SELECT nextval('task_id_sequence'), row.* FROM unnest(?::varchar[], ?::varchar[], ?::bytea[], "
			+ "?::timestamp[], ?::text[], ?::varchar[], ?::bytea[], ?::bytea[], ?::varchar[], ?::int[], ?::varchar[]) "
			+ "AS row(" + COLUMNS + ")" + POSTGRESQL_UPSERT_CONFLICT;

	private static final int MOST_IDS_PER_SELECT = 256;

	private static final String INSERT = "INSERT INTO celery_taskmeta (id, " + COLUMNS + ") VALUES "
			+ "(NEXT VALUE FOR task_id_sequence, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String UPDATE = "UPDATE celery_taskmeta SET status = ?, result = ?, date_done = ?, "
			+ "traceback = ?, name = ?, args = ?, kwargs = ?, worker = ?, retries = ?, queue = ? WHERE task_id = ?";

	private static final String NOT_FINAL = "COALESCE(celery_taskmeta.status, '') NOT IN ('SUCCESS', 'FAILURE', 'REVOKED')";

	private static final String POSTGRESQL_UPSERT_ONE_UNLESS_FINAL = POSTGRESQL_UPSERT_ONE + " WHERE " + NOT_FINAL;

	private static final String UPDATE_UNLESS_FINAL = UPDATE + " AND " + NOT_FINAL;

	private static final String SELECT = "SELECT " + COLUMNS + " FROM celery_taskmeta WHERE task_id = ?";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final CeleryResultFormat format;

	private final PickleCodec pickles = new PickleCodec();

	private volatile @Nullable Boolean postgresql;

	private final Map<Integer, String> selects = new ConcurrentHashMap<>();

	/**
	 * Creates a store.
	 * @param dataSource the database holding {@code celery_taskmeta}
	 * @param format translates records to Celery's values
	 */
	public JdbcResultStore(DataSource dataSource, CeleryResultFormat format) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.format = format;
	}

	@Override
	public void save(TaskResult result) {
		if (isPostgresql()) {
			Row row = row(result);
			this.jdbc.update(POSTGRESQL_UPSERT_ONE, (statement) -> bindInsert(statement, row));
		}
		else {
			this.transactions.executeWithoutResult((status) -> saveByUpdateOrInsert(row(result)));
		}
	}

	@Override
	public boolean saveUnlessFinal(TaskResult result) {
		Row row = row(result);
		if (isPostgresql()) {
			// the upsert's update happens only while the recorded state is not final
			return this.jdbc.update(POSTGRESQL_UPSERT_ONE_UNLESS_FINAL, (statement) -> bindInsert(statement, row)) > 0;
		}
		Boolean saved = this.transactions.execute((status) -> {
			if (this.jdbc.update(UPDATE_UNLESS_FINAL, (statement) -> bindUpdate(statement, row)) > 0) {
				return true;
			}
			if (!this.jdbc.queryForList(SELECT, row.taskId()).isEmpty()) {
				return false;
			}
			try {
				this.jdbc.update(INSERT, (statement) -> bindInsert(statement, row));
				return true;
			}
			catch (DuplicateKeyException ex) {
				// another writer inserted the row in between
				return this.jdbc.update(UPDATE_UNLESS_FINAL, (statement) -> bindUpdate(statement, row)) > 0;
			}
		});
		return Boolean.TRUE.equals(saved);
	}

	@Override
	public void saveAll(List<TaskResult> results) {
		if (results.isEmpty()) {
			return;
		}
		List<Row> rows = results.stream().map(this::row).toList();
		this.transactions.executeWithoutResult((status) -> {
			if (isPostgresql()) {
				upsertAll(rows);
			}
			else {
				rows.forEach(this::saveByUpdateOrInsert);
			}
		});
	}

	private void upsertAll(List<Row> rows) {
		// one row per task (an upsert cannot touch a row twice), the last one given
		// winning, in task id order so that concurrent writers lock rows in the same
		// order
		Map<String, Row> latest = new TreeMap<>();
		rows.forEach((row) -> latest.put(row.taskId(), row));
		if (latest.size() == 1) {
			Row row = latest.values().iterator().next();
			this.jdbc.update(POSTGRESQL_UPSERT_ONE, (statement) -> bindInsert(statement, row));
		}
		else {
			upsert(List.copyOf(latest.values()));
		}
	}

	private void upsert(List<Row> rows) {
		int size = rows.size();
		String[] taskIds = new String[size];
		String[] statuses = new String[size];
		byte[][] results = new byte[size][];
		String[] datesDone = new String[size];
		String[] tracebacks = new String[size];
		String[] names = new String[size];
		byte[][] args = new byte[size][];
		byte[][] kwargs = new byte[size][];
		String[] workers = new String[size];
		Integer[] retries = new Integer[size];
		String[] queues = new String[size];
		for (int i = 0; i < size; i++) {
			Row row = rows.get(i);
			taskIds[i] = row.taskId();
			statuses[i] = row.status();
			results[i] = row.result();
			datesDone[i] = (row.dateDone() != null) ? row.dateDone().toString() : null;
			tracebacks[i] = row.traceback();
			names[i] = row.name();
			args[i] = row.args();
			kwargs[i] = row.kwargs();
			workers[i] = row.worker();
			retries[i] = row.retries();
			queues[i] = row.queue();
		}
		this.jdbc.update(POSTGRESQL_UPSERT, (statement) -> {
			Connection connection = statement.getConnection();
			statement.setArray(1, connection.createArrayOf("varchar", taskIds));
			statement.setArray(2, connection.createArrayOf("varchar", statuses));
			statement.setArray(3, connection.createArrayOf("bytea", results));
			statement.setArray(4, connection.createArrayOf("varchar", datesDone));
			statement.setArray(5, connection.createArrayOf("text", tracebacks));
			statement.setArray(6, connection.createArrayOf("varchar", names));
			statement.setArray(7, connection.createArrayOf("bytea", args));
			statement.setArray(8, connection.createArrayOf("bytea", kwargs));
			statement.setArray(9, connection.createArrayOf("varchar", workers));
			statement.setArray(10, connection.createArrayOf("int4", retries));
			statement.setArray(11, connection.createArrayOf("varchar", queues));
		});
	}

	private void saveByUpdateOrInsert(Row row) {
		if (this.jdbc.update(UPDATE, (statement) -> bindUpdate(statement, row)) > 0) {
			return;
		}
		try {
			this.jdbc.update(INSERT, (statement) -> bindInsert(statement, row));
		}
		catch (DuplicateKeyException ex) {
			// another writer inserted the row in between
			this.jdbc.update(UPDATE, (statement) -> bindUpdate(statement, row));
		}
	}

	@Override
	public Optional<TaskResult> find(String taskId) {
		List<TaskResult> found = this.jdbc.query(SELECT, (resultSet, rowNumber) -> read(resultSet), taskId);
		return found.stream().findFirst();
	}

	/**
	 * Reads many tasks' records with one {@code SELECT … WHERE task_id IN (…)} per
	 * power-of-two chunk of up to 256 ids, from the unique index on {@code task_id}.
	 * @param taskIds the task ids
	 * @return the records found, by task id, in the order given
	 */
	@Override
	public Map<String, TaskResult> findAll(Collection<String> taskIds) {
		List<String> ids = List.copyOf(new LinkedHashSet<>(taskIds));
		Map<String, TaskResult> found = new HashMap<>();
		int from = 0;
		while (from < ids.size()) {
			int size = Math.min(Integer.highestOneBit(ids.size() - from), MOST_IDS_PER_SELECT);
			String sql = this.selects.computeIfAbsent(size,
					(count) -> "SELECT " + COLUMNS + " FROM celery_taskmeta WHERE task_id IN ("
							+ String.join(", ", Collections.nCopies(count, "?")) + ")");
			this.jdbc.query(sql, (resultSet) -> {
				TaskResult result = read(resultSet);
				found.put(result.taskId(), result);
			}, ids.subList(from, from + size).toArray());
			from += size;
		}
		Map<String, TaskResult> ordered = new LinkedHashMap<>();
		for (String id : ids) {
			TaskResult result = found.get(id);
			if (result != null) {
				ordered.put(id, result);
			}
		}
		return ordered;
	}

	private TaskResult read(ResultSet resultSet) throws SQLException {
		String taskId = resultSet.getString("task_id");
		byte[] pickle = resultSet.getBytes("result");
		LocalDateTime dateDone = resultSet.getObject("date_done", LocalDateTime.class);
		int retries = resultSet.getInt("retries");
		Integer retriesOrNull = resultSet.wasNull() ? null : retries;
		return this.format.read(taskId, resultSet.getString("status"),
				(pickle != null) ? this.pickles.load(pickle) : null, resultSet.getString("traceback"),
				resultSet.getString("name"), json(resultSet.getBytes("args")), json(resultSet.getBytes("kwargs")),
				resultSet.getString("worker"), retriesOrNull, resultSet.getString("queue"),
				(dateDone != null) ? CeleryResultFormat.instant(dateDone) : null);
	}

	private @Nullable JsonNode json(byte @Nullable [] bytes) {
		if (bytes == null) {
			return null;
		}
		JsonNode node = this.format.mapper().readTree(bytes);
		return (node == null || node.isNull()) ? null : node;
	}

	private Row row(TaskResult result) {
		if (result.taskId().length() > 155) {
			throw new IllegalArgumentException(
					"Task id is longer than the 155 characters celery_taskmeta.task_id " + "holds: " + result.taskId());
		}
		TaskFailure failure = result.failure();
		boolean started = result.state() == TaskState.STARTED;
		Instant dateDone = (started || result.dateDone() == null) ? null : result.dateDone();
		if (!started && dateDone == null) {
			dateDone = Instant.now();
		}
		String traceback = (failure != null && !failure.traceback().isEmpty()) ? failure.traceback() : null;
		return new Row(result.taskId(), result.state().name(), this.pickles.dump(this.format.resultValue(result, true)),
				(dateDone != null) ? CeleryResultFormat.utc(dateDone) : null, traceback, result.name(),
				jsonBytes(result.args()), jsonBytes(result.kwargs()), result.worker(), result.retries(),
				result.queue());
	}

	private byte[] jsonBytes(@Nullable JsonNode node) {
		return (node != null) ? this.format.mapper().writeValueAsBytes(node) : "null".getBytes(StandardCharsets.UTF_8);
	}

	private void bindInsert(PreparedStatement statement, Row row) throws SQLException {
		statement.setString(1, row.taskId());
		bindValues(statement, row, 2);
	}

	private void bindUpdate(PreparedStatement statement, Row row) throws SQLException {
		bindValues(statement, row, 1);
		statement.setString(11, row.taskId());
	}

	private void bindValues(PreparedStatement statement, Row row, int first) throws SQLException {
		statement.setString(first, row.status());
		statement.setBytes(first + 1, row.result());
		if (row.dateDone() != null) {
			statement.setObject(first + 2, row.dateDone(), Types.TIMESTAMP);
		}
		else {
			statement.setNull(first + 2, Types.TIMESTAMP);
		}
		setString(statement, first + 3, row.traceback());
		setString(statement, first + 4, row.name());
		statement.setBytes(first + 5, row.args());
		statement.setBytes(first + 6, row.kwargs());
		setString(statement, first + 7, row.worker());
		statement.setInt(first + 8, row.retries());
		setString(statement, first + 9, row.queue());
	}

	private static void setString(PreparedStatement statement, int index, @Nullable String value) throws SQLException {
		if (value != null) {
			statement.setString(index, value);
		}
		else {
			statement.setNull(index, Types.VARCHAR);
		}
	}

	private boolean isPostgresql() {
		Boolean known = this.postgresql;
		if (known == null) {
			DataSource dataSource = this.jdbc.getDataSource();
			try {
				String product = JdbcUtils.extractDatabaseMetaData(dataSource,
						DatabaseMetaData::getDatabaseProductName);
				known = "PostgreSQL".equalsIgnoreCase(product);
			}
			catch (MetaDataAccessException ex) {
				throw new IllegalStateException("Cannot tell which database holds the result table: " + ex.getMessage(),
						ex);
			}
			this.postgresql = known;
		}
		return known;
	}

	private record Row(String taskId, String status, byte[] result, @Nullable LocalDateTime dateDone,
			@Nullable String traceback, @Nullable String name, byte[] args, byte[] kwargs, @Nullable String worker,
			int retries, @Nullable String queue) {

	}

}

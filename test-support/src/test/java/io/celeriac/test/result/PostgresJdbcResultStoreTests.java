package io.celeriac.test.result;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

import javax.sql.DataSource;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.result.jdbc.PickleCodec;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The result store contract on a real PostgreSQL, and Celery's {@code celery_taskmeta}
 * layout: the row as Celery's database backend writes it, and rows a real Celery worker
 * wrote read back.
 *
 * @author Celeriac team
 */
@RealServices
class PostgresJdbcResultStoreTests extends ResultStoreContractTests {

	// written by Celery 5.2.6's worker (see docs/results.md)
	private static final String CELERY_SUCCESS = "8005952c000000000000007d94288c097265706f72745f6964944b2a8c06666f726d"
			+ "6174948c03637376948c057061676573944b03752e";

	private static final String CELERY_FAILURE = "8005955b000000000000007d94288c086578635f74797065948c0a56616c75654572"
			+ "726f72948c0b6578635f6d657373616765948c136578706f727420612e637376206661696c65649485948c0a6578635f6d6f64"
			+ "756c65948c086275696c74696e7394752e";

	private static final String CELERY_STARTED = "80059524000000000000007d94288c03706964944dc86a8c08686f73746e616d6594"
			+ "8c0862656e636840766d94752e";

	private final JdbcTemplate jdbc;

	private final JdbcResultStore store;

	PostgresJdbcResultStoreTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		DataSource dataSource = ResultDatabases.postgresql(postgres, isolation);
		this.jdbc = new JdbcTemplate(dataSource);
		this.store = new JdbcResultStore(dataSource, new CeleryResultFormat(new JsonMapper()));
	}

	@Override
	protected ResultStore store() {
		return this.store;
	}

	@Test
	void aSuccessIsWrittenAsCeleryWritesIt() {
		String id = newId();
		this.store.save(success(id, json("{\"report_id\": 42, \"format\": \"csv\"}")));
		Map<String, Object> row = this.jdbc.queryForMap("SELECT * FROM celery_taskmeta WHERE task_id = ?", id);
		assertThat((Integer) row.get("id")).isPositive();
		assertThat(row.get("status")).isEqualTo("SUCCESS");
		assertThat(new PickleCodec().load((byte[]) row.get("result")))
			.isEqualTo(Map.of("report_id", 42, "format", "csv"));
		assertThat(row.get("date_done")).isNotNull();
		assertThat(row.get("traceback")).isNull();
		assertThat(row.get("name")).isEqualTo("sample.add");
		assertThat(json(new String((byte[]) row.get("args"), StandardCharsets.UTF_8))).isEqualTo(json("[2, 3]"));
		assertThat(new String((byte[]) row.get("kwargs"), StandardCharsets.UTF_8)).isEqualTo("{}");
		assertThat(row.get("worker")).isEqualTo("worker@host");
		assertThat(row.get("retries")).isEqualTo(0);
		assertThat(row.get("queue")).isEqualTo("sample");
	}

	@Test
	void aFailureIsWrittenWithCeleryExceptionDictAndTraceback() {
		String id = newId();
		this.store.save(new TaskResult(id, TaskState.FAILURE, null,
				new TaskFailure("IllegalStateException", "java.lang", "boom", "java.lang.IllegalStateException: boom"),
				"sample.fail", json("[]"), json("{}"), "w", 0, "sample", null));
		Map<String, Object> row = this.jdbc.queryForMap("SELECT * FROM celery_taskmeta WHERE task_id = ?", id);
		Object value = new PickleCodec().load((byte[]) row.get("result"));
		assertThat(value).isInstanceOf(Map.class);
		Map<?, ?> exception = (Map<?, ?>) value;
		assertThat(exception.get("exc_type")).isEqualTo("IllegalStateException");
		assertThat(exception.get("exc_module")).isEqualTo("java.lang");
		// a tuple, as Celery writes it
		assertThat((Object[]) exception.get("exc_message")).containsExactly("boom");
		assertThat(row.get("traceback")).isEqualTo("java.lang.IllegalStateException: boom");
		assertThat(row.get("date_done")).isNotNull();
	}

	@Test
	void aStartedRowHasNoDateDoneAndCeleryStartedMeta() {
		String id = newId();
		this.store.save(new TaskResult(id, TaskState.STARTED, null, null, "sample.add", json("[1, 2]"), json("{}"),
				"worker@host", 0, "sample", null));
		Map<String, Object> row = this.jdbc.queryForMap("SELECT * FROM celery_taskmeta WHERE task_id = ?", id);
		assertThat(row.get("status")).isEqualTo("STARTED");
		assertThat(row.get("date_done")).isNull();
		Map<?, ?> meta = (Map<?, ?>) new PickleCodec().load((byte[]) row.get("result"));
		assertThat(meta.get("hostname")).isEqualTo("worker@host");
		assertThat(meta.get("pid")).isNotNull();
	}

	@Test
	void rowsWrittenByCeleryAreRead() {
		String success = newId();
		String failure = newId();
		String started = newId();
		insertAsCelery(success, "SUCCESS", CELERY_SUCCESS, null, "[42]");
		insertAsCelery(failure, "FAILURE", CELERY_FAILURE, "Traceback (most recent call last):\nValueError: x\n",
				"[\"a.csv\"]");
		insertAsCelery(started, "STARTED", CELERY_STARTED, null, "[1]");
		TaskResult successResult = this.store.find(success).orElseThrow();
		assertThat(successResult.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(successResult.value()).isEqualTo(json("{\"report_id\": 42, \"format\": \"csv\", \"pages\": 3}"));
		assertThat(successResult.args()).isEqualTo(json("[42]"));
		TaskResult failureResult = this.store.find(failure).orElseThrow();
		assertThat(failureResult.state()).isEqualTo(TaskState.FAILURE);
		assertThat(failureResult.failure()).isEqualTo(new TaskFailure("ValueError", "builtins", "export a.csv failed",
				"Traceback (most recent call last):\nValueError: x\n"));
		assertThat(this.store.find(started).orElseThrow().state()).isEqualTo(TaskState.STARTED);
	}

	@Test
	void aPickleThatNamesAClassIsRefused() {
		String id = newId();
		// protocol 0: os.system('echo pwned')
		byte[] malicious = "cos\nsystem\n(S'echo pwned'\ntR.".getBytes(StandardCharsets.ISO_8859_1);
		this.jdbc.update("INSERT INTO celery_taskmeta (id, task_id, status, result) "
				+ "VALUES (nextval('task_id_sequence'), ?, 'SUCCESS', ?)", id, malicious);
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.find(id))
			.withMessageContaining("only plain values");
	}

	private void insertAsCelery(String id, String status, String pickleHex, String traceback, String args) {
		this.jdbc.update(
				"INSERT INTO celery_taskmeta (id, task_id, status, result, date_done, traceback, name, args, "
						+ "kwargs, worker, retries, queue) VALUES (nextval('task_id_sequence'), ?, ?, ?, "
						+ "now() AT TIME ZONE 'utc', ?, 'reports.generate', ?, ?, 'bench@vm', 0, 'reports')",
				id, status, HexFormat.of().parseHex(pickleHex), traceback, args.getBytes(StandardCharsets.UTF_8),
				"{}".getBytes(StandardCharsets.UTF_8));
	}

}

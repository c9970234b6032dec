package io.celeriac.test.result;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shipped {@code role-postgresql.sql} creates a role that a worker can record results
 * with, and that can read nothing else.
 *
 * @author Celeriac team
 */
@RealServices
class RestrictedResultRoleTests {

	private final JdbcTemplate owner;

	private final String schema;

	private final String role = "celeriac_results_" + UUID.randomUUID().toString().substring(0, 8);

	private final DataSource roleDataSource;

	RestrictedResultRoleTests(PostgresEndpoint postgres, ServiceIsolation isolation) throws IOException {
		this.owner = new JdbcTemplate(ResultDatabases.postgresql(postgres, isolation));
		this.schema = isolation.schema();
		this.owner.execute("CREATE TABLE " + this.schema + ".customers (name text)");
		this.owner.execute("INSERT INTO " + this.schema + ".customers VALUES ('secret')");
		String password = UUID.randomUUID().toString();
		String script = new ClassPathResource("io/celeriac/result/jdbc/role-postgresql.sql")
			.getContentAsString(StandardCharsets.UTF_8)
			.replace("celeriac_results", this.role)
			.replace("change-me", password)
			.replace("public", this.schema);
		new ResourceDatabasePopulator(new ByteArrayResource(script.getBytes(StandardCharsets.UTF_8)))
			.execute(this.owner.getDataSource());
		this.roleDataSource = new DriverManagerDataSource(isolation.jdbcUrl(), this.role, password);
	}

	@AfterEach
	void dropRole() {
		this.owner.execute("DROP OWNED BY " + this.role);
		this.owner.execute("DROP ROLE " + this.role);
	}

	@Test
	void aWorkerRecordsResultsWithTheRoleThatCannotReadAnotherTable() {
		JdbcResultStore store = new JdbcResultStore(this.roleDataSource, new CeleryResultFormat(new JsonMapper()));
		try (JavaWorker worker = new JavaWorker(store)) {
			TaskHandle<Map<String, Object>> handle = worker.client()
				.send("interop.report", List.of(3), Map.of(), TaskOptions.defaults(), Map.class);
			assertThat(handle.await(Duration.ofSeconds(20))).containsEntry("report_id", 3);
			assertThat(store.find(handle.id()).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
		}
		assertThat(this.owner.queryForObject("SELECT count(*) FROM celery_taskmeta WHERE worker = 'java@interop'",
				Integer.class))
			.isEqualTo(1);
		JdbcTemplate asRole = new JdbcTemplate(this.roleDataSource);
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> asRole.queryForList("SELECT name FROM " + this.schema + ".customers"))
			.havingRootCause()
			.withMessageContaining("permission denied");
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> asRole.update("DELETE FROM celery_taskmeta"))
			.havingRootCause()
			.withMessageContaining("permission denied");
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> asRole.execute("CREATE TABLE " + this.schema + ".mine (x int)"))
			.havingRootCause()
			.withMessageContaining("permission denied");
	}

}

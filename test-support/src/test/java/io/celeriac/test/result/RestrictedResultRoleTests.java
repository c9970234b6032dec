package io.celeriac.test.result;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shipped {@code role-postgresql.sql}, run with psql as its comment says, creates a
 * role that a worker can record results with and that can read nothing else and create
 * nothing, in a schema of its own and in PostgreSQL's default schema {@code public}; it
 * refuses to run without a password. Each test has a database of its own, dropped
 * afterwards, so that the script's {@code REVOKE} on {@code public} touches no other
 * test's database.
 *
 * @author Celeriac team
 */
@RealServices
class RestrictedResultRoleTests {

	private static final Duration PSQL_TIMEOUT = Duration.ofSeconds(60);

	private final PostgresEndpoint postgres;

	private final JdbcTemplate server;

	private final String database;

	private final String role = "celeriac_results_" + UUID.randomUUID().toString().substring(0, 8);

	RestrictedResultRoleTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.postgres = postgres;
		this.server = new JdbcTemplate(
				new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), postgres.password()));
		this.database = isolation.schema() + "_" + UUID.randomUUID().toString().substring(0, 8);
		this.server.execute("CREATE DATABASE " + this.database);
	}

	@AfterEach
	void dropDatabaseAndRole() {
		this.server.execute("DROP DATABASE IF EXISTS " + this.database + " WITH (FORCE)");
		this.server.execute("DROP ROLE IF EXISTS " + this.role);
	}

	@ParameterizedTest
	@ValueSource(strings = { "results", "public" })
	void aWorkerRecordsResultsWithTheRoleThatCanReadNothingElseAndCreateNothing(String schema) throws Exception {
		JdbcTemplate owner = new JdbcTemplate(dataSource(schema, this.postgres.username(), this.postgres.password()));
		if (!schema.equals("public")) {
			owner.execute("CREATE SCHEMA " + schema);
		}
		// as PostgreSQL 14 and older, and databases upgraded from them, have it
		owner.execute("GRANT CREATE ON SCHEMA public TO PUBLIC");
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"))
			.execute(owner.getDataSource());
		owner.execute("CREATE TABLE " + schema + ".customers (name text)");
		owner.execute("INSERT INTO " + schema + ".customers VALUES ('secret')");
		String password = UUID.randomUUID().toString();
		Psql run = psql("-v", "password=" + password, "-v", "role=" + this.role, "-v", "schema=" + schema);
		assertThat(run.exitCode()).as(run.output()).isZero();

		DataSource roleDataSource = dataSource(schema, this.role, password);
		JdbcResultStore store = new JdbcResultStore(roleDataSource, new CeleryResultFormat(new JsonMapper()));
		try (JavaWorker worker = new JavaWorker(store)) {
			TaskHandle<Map<String, Object>> handle = worker.client()
				.send("interop.report", List.of(3), Map.of(), TaskOptions.defaults(), Map.class);
			assertThat(handle.await(Duration.ofSeconds(20))).containsEntry("report_id", 3);
			assertThat(store.find(handle.id()).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
		}
		assertThat(owner.queryForObject(
				"SELECT count(*) FROM " + schema + ".celery_taskmeta WHERE worker = 'java@interop'", Integer.class))
			.isEqualTo(1);
		JdbcTemplate asRole = new JdbcTemplate(roleDataSource);
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> asRole.queryForList("SELECT name FROM " + schema + ".customers"))
			.havingRootCause()
			.withMessageContaining("permission denied");
		assertThatExceptionOfType(BadSqlGrammarException.class)
			.isThrownBy(() -> asRole.update("DELETE FROM " + schema + ".celery_taskmeta"))
			.havingRootCause()
			.withMessageContaining("permission denied");
		for (String target : List.of(schema, "public")) {
			assertThatExceptionOfType(BadSqlGrammarException.class)
				.isThrownBy(() -> asRole.execute("CREATE TABLE " + target + ".mine (x int)"))
				.havingRootCause()
				.withMessageContaining("permission denied");
		}
	}

	@Test
	void withoutAPasswordTheScriptStopsAndCreatesNoRole() throws Exception {
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"))
			.execute(dataSource("public", this.postgres.username(), this.postgres.password()));
		for (Psql run : List.of(psql("-v", "role=" + this.role), psql("-v", "password=", "-v", "role=" + this.role))) {
			assertThat(run.exitCode()).as(run.output()).isNotZero();
			assertThat(run.output()).contains("needs the role's password").contains("-v password=");
			assertThat(this.server.queryForObject("SELECT count(*) FROM pg_roles WHERE rolname = ?", Integer.class,
					this.role))
				.isZero();
		}
	}

	private DataSource dataSource(String schema, String username, String password) {
		return new DriverManagerDataSource(url("jdbc:postgresql") + "?currentSchema=" + schema, username, password);
	}

	/**
	 * Returns this test's database on the server, as a URL with the given scheme.
	 */
	private String url(String scheme) {
		URI server = URI.create(this.postgres.jdbcUrl().substring("jdbc:".length()));
		int port = (server.getPort() != -1) ? server.getPort() : 5432;
		return scheme + "://" + server.getHost() + ":" + port + "/" + this.database;
	}

	/**
	 * Runs the shipped script with psql on this test's database, as its owner.
	 */
	private Psql psql(String... variables) throws IOException, InterruptedException {
		Path script = Files.createTempFile("role-postgresql", ".sql");
		try (InputStream in = new ClassPathResource("io/celeriac/result/jdbc/role-postgresql.sql").getInputStream()) {
			Files.write(script, in.readAllBytes());
		}
		List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-w"));
		command.addAll(List.of(variables));
		command.addAll(List.of("-f", script.toString(), url("postgresql")));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("PGUSER", this.postgres.username());
		builder.environment().put("PGPASSWORD", this.postgres.password());
		Process process = builder.start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(PSQL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("psql did not finish within " + PSQL_TIMEOUT + ":\n" + output);
			}
			return new Psql(process.exitValue(), output);
		}
		finally {
			process.destroyForcibly();
			Files.deleteIfExists(script);
		}
	}

	private record Psql(int exitCode, String output) {

	}

}

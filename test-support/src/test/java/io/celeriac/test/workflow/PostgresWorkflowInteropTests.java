package io.celeriac.test.workflow;

import java.util.List;

import javax.sql.DataSource;

import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.workflow.ChordCompletion;
import io.celeriac.workflow.ChordJoin;
import io.celeriac.workflow.ChordUnlockJoin;
import io.celeriac.workflow.WorkflowSettings;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Workflows over Celery's database backend and the JDBC result store on PostgreSQL:
 * chords are joined by {@code celery.chord_unlock}, run by whichever worker consumes the
 * {@code celery} queue.
 *
 * @author Celeriac team
 */
@RealServices
class PostgresWorkflowInteropTests extends WorkflowInteropTests {

	private final JdbcResultStore store;

	private final String backendUrl;

	private final List<String> childStoreArguments;

	PostgresWorkflowInteropTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		DataSource dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(),
				postgres.password());
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"))
			.execute(dataSource);
		this.store = new JdbcResultStore(dataSource, new CeleryResultFormat(new JsonMapper()));
		this.backendUrl = CeleryTopology.databaseResultBackend(postgres, isolation.schema());
		this.childStoreArguments = List.of("jdbc", isolation.jdbcUrl(), postgres.username(), postgres.password());
	}

	@Override
	protected ResultStore store() {
		return this.store;
	}

	@Override
	protected String celeryBackendUrl() {
		return this.backendUrl;
	}

	@Override
	protected ChordJoin chordJoin(ChordCompletion completion) {
		return new ChordUnlockJoin(completion, this.store, WorkflowSettings.defaults(), 10_000);
	}

	@Override
	protected List<String> childStoreArguments() {
		return this.childStoreArguments;
	}

	@Override
	protected boolean joinsWithChordUnlock() {
		return true;
	}

}

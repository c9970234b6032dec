package io.celeriac.test.monitor;

import javax.sql.DataSource;

import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.jdbc.JdbcTaskHistory;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The task history contract for the {@link JdbcTaskHistory} on PostgreSQL, in the test
 * class's own schema, with the monitor's and Celery's schema scripts.
 *
 * @author Celeriac team
 */
@RealServices
class PostgresJdbcTaskHistoryTests extends TaskHistoryContractTests {

	private final JdbcTaskRecordStore records;

	private final JdbcResultStore results;

	private final JdbcTaskHistory history;

	private final DataSource dataSource;

	private final CeleryResultFormat format;

	PostgresJdbcTaskHistoryTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		DataSource dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(),
				postgres.password());
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ClassPathResource("io/celeriac/monitor/jdbc/schema-postgresql.sql"),
				new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"));
		// twice: the scripts create only what is missing
		populator.execute(dataSource);
		populator.execute(dataSource);
		CeleryResultFormat format = new CeleryResultFormat(new JsonMapper());
		this.dataSource = dataSource;
		this.format = format;
		this.records = new JdbcTaskRecordStore(dataSource, format.mapper());
		this.results = new JdbcResultStore(dataSource, format);
		this.history = new JdbcTaskHistory(dataSource, format);
	}

	@Override
	protected TaskHistory history() {
		return this.history;
	}

	@Override
	protected TaskHistory history(int stateScanLimit) {
		return new JdbcTaskHistory(this.dataSource, this.format, stateScanLimit);
	}

	@Override
	protected TaskRecordStore records() {
		return this.records;
	}

	@Override
	protected ResultStore results() {
		return this.results;
	}

}

package io.celeriac.test.monitor;

import java.util.UUID;

import javax.sql.DataSource;

import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.jdbc.JdbcTaskHistory;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.jdbc.JdbcResultStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The task history contract for the {@link JdbcTaskHistory} on H2, with the monitor's and
 * Celery's schema scripts.
 *
 * @author Celeriac team
 */
class H2JdbcTaskHistoryTests extends TaskHistoryContractTests {

	private final JdbcTaskRecordStore records;

	private final JdbcResultStore results;

	private final JdbcTaskHistory history;

	private final DataSource dataSource;

	private final CeleryResultFormat format;

	H2JdbcTaskHistoryTests() {
		DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"sa", "");
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ClassPathResource("io/celeriac/monitor/jdbc/schema-h2.sql"),
				new ClassPathResource("io/celeriac/result/jdbc/schema-h2.sql"));
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

package io.celeriac.test.monitor;

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
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The task history contract for the {@link JdbcTaskHistory} on one database, with the
 * monitor's and Celery's schema scripts for it; a subclass says which database.
 *
 * @author Celeriac team
 */
abstract class JdbcTaskHistoryTests extends TaskHistoryContractTests {

	private final JdbcTaskRecordStore records;

	private final JdbcResultStore results;

	private final JdbcTaskHistory history;

	private final DataSource dataSource;

	private final CeleryResultFormat format;

	/**
	 * Creates the stores on a database.
	 * @param dataSource the database
	 * @param platform the schema scripts' platform, e.g. {@code h2} or {@code postgresql}
	 */
	JdbcTaskHistoryTests(DataSource dataSource, String platform) {
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ClassPathResource("io/celeriac/monitor/jdbc/schema-" + platform + ".sql"),
				new ClassPathResource("io/celeriac/result/jdbc/schema-" + platform + ".sql"));
		// twice: the scripts create only what is missing
		populator.execute(dataSource);
		populator.execute(dataSource);
		this.dataSource = dataSource;
		this.format = new CeleryResultFormat(new JsonMapper());
		this.records = new JdbcTaskRecordStore(dataSource, this.format.mapper());
		this.results = new JdbcResultStore(dataSource, this.format);
		this.history = new JdbcTaskHistory(dataSource, this.format);
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

package io.celeriac.test.monitor;

import java.util.UUID;

import javax.sql.DataSource;

import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The task record store contract on H2, with the H2 schema script.
 *
 * @author Celeriac team
 */
class H2JdbcTaskRecordStoreTests extends TaskRecordStoreContractTests {

	private final JdbcTaskRecordStore store;

	H2JdbcTaskRecordStoreTests() {
		DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"sa", "");
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/monitor/jdbc/schema-h2.sql"))
			.execute(dataSource);
		this.store = new JdbcTaskRecordStore(dataSource, new JsonMapper());
	}

	@Override
	protected TaskRecordStore store() {
		return this.store;
	}

}

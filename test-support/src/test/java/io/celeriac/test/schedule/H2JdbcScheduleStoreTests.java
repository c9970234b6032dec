package io.celeriac.test.schedule;

import javax.sql.DataSource;

import io.celeriac.schedule.ScheduleStore;
import io.celeriac.schedule.jdbc.JdbcScheduleStore;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The schedule store contract on an in-memory H2 database.
 *
 * @author Celeriac team
 */
class H2JdbcScheduleStoreTests extends ScheduleStoreContractTests {

	private static final DataSource DATA_SOURCE = h2();

	private final JdbcScheduleStore store = new JdbcScheduleStore(DATA_SOURCE);

	private static DataSource h2() {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:schedules-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/schedule/jdbc/schema-h2.sql"))
			.execute(dataSource);
		return dataSource;
	}

	@Override
	protected ScheduleStore store() {
		return this.store;
	}

}

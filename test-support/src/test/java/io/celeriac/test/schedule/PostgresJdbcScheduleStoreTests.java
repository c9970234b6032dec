package io.celeriac.test.schedule;

import javax.sql.DataSource;

import io.celeriac.schedule.ScheduleStore;
import io.celeriac.schedule.jdbc.JdbcScheduleStore;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The schedule store contract on a real PostgreSQL, in the test class's own schema.
 *
 * @author Celeriac team
 */
@RealServices
class PostgresJdbcScheduleStoreTests extends ScheduleStoreContractTests {

	private final JdbcScheduleStore store;

	PostgresJdbcScheduleStoreTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		DataSource dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(),
				postgres.password());
		// twice: the script creates only what is missing
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ClassPathResource("io/celeriac/schedule/jdbc/schema-postgresql.sql"));
		populator.execute(dataSource);
		populator.execute(dataSource);
		this.store = new JdbcScheduleStore(dataSource);
	}

	@Override
	protected ScheduleStore store() {
		return this.store;
	}

}

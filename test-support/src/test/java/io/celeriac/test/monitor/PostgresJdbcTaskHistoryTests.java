package io.celeriac.test.monitor;

import io.celeriac.monitor.jdbc.JdbcTaskHistory;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The task history contract for the {@link JdbcTaskHistory} on PostgreSQL, in the test
 * class's own schema.
 *
 * @author Celeriac team
 */
@RealServices
class PostgresJdbcTaskHistoryTests extends JdbcTaskHistoryTests {

	PostgresJdbcTaskHistoryTests(PostgresEndpoint postgres, ServiceIsolation isolation) {
		super(new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(), postgres.password()), "postgresql");
	}

}

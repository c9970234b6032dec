package io.celeriac.test.monitor;

import java.util.UUID;

import io.celeriac.monitor.jdbc.JdbcTaskHistory;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The task history contract for the {@link JdbcTaskHistory} on H2.
 *
 * @author Celeriac team
 */
class H2JdbcTaskHistoryTests extends JdbcTaskHistoryTests {

	H2JdbcTaskHistoryTests() {
		super(new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""), "h2");
	}

}

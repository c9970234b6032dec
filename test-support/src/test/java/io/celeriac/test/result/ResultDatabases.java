package io.celeriac.test.result;

import javax.sql.DataSource;

import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.ServiceIsolation;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Databases with Celery's result tables for the JDBC result store's tests.
 *
 * @author Celeriac team
 */
final class ResultDatabases {

	private ResultDatabases() {
	}

	/**
	 * Returns a DataSource on the test class's own PostgreSQL schema, with the tables.
	 * @param postgres the server
	 * @param isolation the test class's isolation
	 * @return the DataSource
	 */
	static DataSource postgresql(PostgresEndpoint postgres, ServiceIsolation isolation) {
		DataSource dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(),
				postgres.password());
		createTables(dataSource, "postgresql");
		return dataSource;
	}

	/**
	 * Returns a DataSource on a new in-memory H2 database, with the tables.
	 * @param name the database name
	 * @return the DataSource
	 */
	static DataSource h2(String name) {
		DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
		createTables(dataSource, "h2");
		return dataSource;
	}

	private static void createTables(DataSource dataSource, String platform) {
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ClassPathResource("io/celeriac/result/jdbc/schema-" + platform + ".sql"));
		// twice: the scripts create only what is missing
		populator.execute(dataSource);
		populator.execute(dataSource);
	}

}

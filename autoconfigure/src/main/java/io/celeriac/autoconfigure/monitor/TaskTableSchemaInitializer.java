package io.celeriac.autoconfigure.monitor;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

/**
 * Creates the monitor's task table ({@code celeriac_task}) the way Spring Boot
 * initializes its own JDBC stores' schemas, according to
 * {@code celeriac.monitor.initialize-schema}.
 *
 * @author Celeriac team
 */
public class TaskTableSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	/**
	 * Where the schema scripts are, with Spring Boot's platform placeholder.
	 */
	public static final String SCHEMA_LOCATION = "classpath:io/celeriac/monitor/jdbc/schema-@@platform@@.sql";

	/**
	 * Creates an initializer.
	 * @param dataSource the database
	 * @param mode when to run the script
	 */
	public TaskTableSchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode) {
		super(dataSource, settings(dataSource, mode));
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		if (mode != DatabaseInitializationMode.NEVER) {
			settings.setSchemaLocations(
					new PlatformPlaceholderDatabaseDriverResolver().resolveAll(dataSource, SCHEMA_LOCATION));
		}
		settings.setMode(mode);
		return settings;
	}

}

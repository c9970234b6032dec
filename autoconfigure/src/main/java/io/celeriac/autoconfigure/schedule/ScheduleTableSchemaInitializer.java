package io.celeriac.autoconfigure.schedule;

import javax.sql.DataSource;

import io.celeriac.schedule.jdbc.JdbcScheduleStore;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

/**
 * Creates the JDBC schedule store's table ({@code celeriac_schedule}) the way Spring Boot
 * initializes its own JDBC stores' schemas, according to
 * {@code celeriac.recurring.initialize-schema}.
 *
 * @author Celeriac team
 */
public class ScheduleTableSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	/**
	 * Creates an initializer.
	 * @param dataSource the database
	 * @param mode when to run the script
	 */
	public ScheduleTableSchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode) {
		super(dataSource, settings(dataSource, mode));
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		if (mode != DatabaseInitializationMode.NEVER) {
			settings.setSchemaLocations(new PlatformPlaceholderDatabaseDriverResolver().resolveAll(dataSource,
					JdbcScheduleStore.SCHEMA_LOCATION));
		}
		settings.setMode(mode);
		return settings;
	}

}

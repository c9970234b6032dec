package io.celeriac.autoconfigure.result;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;

/**
 * Creates Celery's result tables in the JDBC result store's database, the way Spring Boot
 * initializes the schemas of its own JDBC stores: the script for the database's platform
 * ({@code schema-postgresql.sql}, {@code schema-h2.sql}), run according to
 * {@code celeriac.result.initialize-schema}.
 *
 * @author Celeriac team
 */
public class ResultStoreSchemaInitializer extends DataSourceScriptDatabaseInitializer {

	/**
	 * Where the schema scripts are, with Spring Boot's platform placeholder.
	 */
	public static final String SCHEMA_LOCATION = "classpath:io/celeriac/result/jdbc/schema-@@platform@@.sql";

	/**
	 * Creates an initializer.
	 * @param dataSource the result store's database
	 * @param mode when to run the script
	 */
	public ResultStoreSchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode) {
		super(dataSource, settings(dataSource, mode));
	}

	private static DatabaseInitializationSettings settings(DataSource dataSource, DatabaseInitializationMode mode) {
		DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
		if (mode != DatabaseInitializationMode.NEVER) {
			List<String> locations = new PlatformPlaceholderDatabaseDriverResolver().resolveAll(dataSource,
					SCHEMA_LOCATION);
			settings.setSchemaLocations(locations);
		}
		settings.setMode(mode);
		settings.setContinueOnError(false);
		return settings;
	}

}

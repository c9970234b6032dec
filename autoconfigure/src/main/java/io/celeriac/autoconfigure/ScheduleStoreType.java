package io.celeriac.autoconfigure;

/**
 * Where recurring schedules claim their ticks and keep their last runs.
 *
 * @author Celeriac team
 */
public enum ScheduleStoreType {

	/**
	 * Redis, shared by every process that uses the same server.
	 */
	REDIS,

	/**
	 * The {@code celeriac_schedule} table of the application's SQL database.
	 */
	JDBC,

	/**
	 * In this JVM only: each instance publishes every tick, and last runs are forgotten
	 * on restart. The embedded default.
	 */
	MEMORY

}

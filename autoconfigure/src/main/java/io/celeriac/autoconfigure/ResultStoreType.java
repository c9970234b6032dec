package io.celeriac.autoconfigure;

/**
 * Where workers record task results.
 *
 * @author Celeriac team
 */
public enum ResultStoreType {

	/**
	 * A SQL database in Celery's {@code celery_taskmeta} layout, through the
	 * application's {@code DataSource}.
	 */
	JDBC,

	/**
	 * Redis, in the format of Celery's Redis result backend.
	 */
	REDIS,

	/**
	 * In this JVM only; nothing survives a restart. The embedded default.
	 */
	MEMORY,

	/**
	 * Results are not recorded.
	 */
	NONE

}

package io.celeriac.autoconfigure.result;

import java.time.Duration;

import io.celeriac.autoconfigure.ResultStoreType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.unit.DataSize;

/**
 * Where workers record task results.
 * <p>
 * Bound to {@code celeriac.result.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.result")
public class ResultProperties {

	/**
	 * Result store backend. When unset: jdbc if spring.datasource.url or jndi-name is set
	 * or a JdbcConnectionDetails bean exists, memory otherwise; memory chosen that way
	 * beside a real broker logs a warning at startup.
	 */
	private @Nullable ResultStoreType type;

	/**
	 * Whether a worker records a STARTED state when it begins a task.
	 */
	private boolean trackStarted = true;

	public @Nullable ResultStoreType getType() {
		return this.type;
	}

	public void setType(@Nullable ResultStoreType type) {
		this.type = type;
	}

	public boolean isTrackStarted() {
		return this.trackStarted;
	}

	public void setTrackStarted(boolean trackStarted) {
		this.trackStarted = trackStarted;
	}

	/**
	 * When to create Celery's result tables (celery_taskmeta, celery_tasksetmeta and
	 * their sequences) in the JDBC result store's database: embedded (H2 and other
	 * embedded databases only), always, or never. The scripts create only what is
	 * missing.
	 */
	private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

	/**
	 * How long the Redis result store keeps a result, as Celery's result_expires; the
	 * in-memory result store drops a result this long after it was recorded.
	 */
	private Duration expires = Duration.ofDays(1);

	/**
	 * Put before the Redis result store's keys and channels (celery-task-meta-<id>), as
	 * Celery's global_keyprefix transport option; empty so that Python Celery with
	 * default settings reads the results.
	 */
	private String redisKeyPrefix = "";

	/**
	 * The most results the JDBC result store writes in one batch (one round trip, one
	 * transaction); a worker acknowledges a message once the batch holding its result has
	 * committed. 1 writes each result on its own.
	 */
	private int batchSize = 64;

	/**
	 * How long a worker waits for its result to be written before the task fails to be
	 * acknowledged (it is then delivered again).
	 */
	private Duration writeTimeout = Duration.ofSeconds(30);

	/**
	 * The most results waiting to be written by the JDBC result store's batching writer;
	 * a worker that finds the queue full waits for room up to the write timeout, then
	 * fails to record its result.
	 */
	private int queueCapacity = 10_000;

	/**
	 * The most in-memory result store entries kept (celeriac.result.type=memory); the
	 * oldest is evicted first. Entries also expire after celeriac.result.expires.
	 */
	private int memoryMaxEntries = 100_000;

	/**
	 * The longest exception message kept, in characters, in result rows, logs and
	 * error-queue headers; longer ones are cut and end with "...".
	 */
	private DataSize maxMessageSize = DataSize.ofKilobytes(4);

	/**
	 * The longest traceback kept, in characters, in result rows and error-queue headers;
	 * longer ones are cut and end with "...".
	 */
	private DataSize maxTracebackSize = DataSize.ofKilobytes(64);

	/**
	 * A DataSource of the JDBC result store's own, e.g. with a role that may only read
	 * and write the result table; when its url is unset the application's DataSource is
	 * used.
	 */
	private final Datasource datasource = new Datasource();

	public DatabaseInitializationMode getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public Duration getExpires() {
		return this.expires;
	}

	public void setExpires(Duration expires) {
		this.expires = expires;
	}

	public String getRedisKeyPrefix() {
		return this.redisKeyPrefix;
	}

	public void setRedisKeyPrefix(String redisKeyPrefix) {
		this.redisKeyPrefix = redisKeyPrefix;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	public void setWriteTimeout(Duration writeTimeout) {
		this.writeTimeout = writeTimeout;
	}

	public Datasource getDatasource() {
		return this.datasource;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		this.queueCapacity = queueCapacity;
	}

	public int getMemoryMaxEntries() {
		return this.memoryMaxEntries;
	}

	public void setMemoryMaxEntries(int memoryMaxEntries) {
		this.memoryMaxEntries = memoryMaxEntries;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public DataSize getMaxTracebackSize() {
		return this.maxTracebackSize;
	}

	public void setMaxTracebackSize(DataSize maxTracebackSize) {
		this.maxTracebackSize = maxTracebackSize;
	}

	/**
	 * The JDBC result store's own DataSource.
	 */
	public static class Datasource {

		/**
		 * JDBC URL of the result database; when unset, the application's DataSource is
		 * used.
		 */
		private @Nullable String url;

		/**
		 * Login user of the result database.
		 */
		private @Nullable String username;

		/**
		 * Login password of the result database.
		 */
		private @Nullable String password;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

}

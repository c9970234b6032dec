package io.celeriac.autoconfigure.monitor;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * The task monitor, which records every task sent on the exchange.
 * <p>
 * Bound to {@code celeriac.monitor.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.monitor")
public class MonitorProperties {

	/**
	 * Whether this application consumes the monitor queue and records every task message
	 * in the task table (celeriac_task); typically only the platform application does.
	 */
	private boolean enabled;

	/**
	 * Whether the monitor also records the outcome (SUCCESS, FAILURE, REVOKED) of tasks
	 * from Celery's events on the event exchange, for workers whose results it does not
	 * otherwise see (e.g. Python workers run with -E and no result backend); a task that
	 * already has a result is left alone. Needs the RabbitMQ broker.
	 */
	private boolean events;

	/**
	 * When to create the task table in the application's database: embedded, always, or
	 * never.
	 */
	private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

	/**
	 * How many threads record tasks.
	 */
	private int concurrency = 1;

	/**
	 * How many unacknowledged monitor messages each thread may hold.
	 */
	private int prefetch = 50;

	/**
	 * The most task records the in-memory task table keeps (when there is no DataSource);
	 * the oldest is evicted first. Records also expire after celeriac.result.expires.
	 */
	private int memoryMaxEntries = 100_000;

	public int getMemoryMaxEntries() {
		return this.memoryMaxEntries;
	}

	public void setMemoryMaxEntries(int memoryMaxEntries) {
		this.memoryMaxEntries = memoryMaxEntries;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isEvents() {
		return this.events;
	}

	public void setEvents(boolean events) {
		this.events = events;
	}

	public DatabaseInitializationMode getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public int getPrefetch() {
		return this.prefetch;
	}

	public void setPrefetch(int prefetch) {
		this.prefetch = prefetch;
	}

}

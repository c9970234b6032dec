package io.celeriac.autoconfigure.schedule;

import java.time.Duration;

import io.celeriac.autoconfigure.ScheduleStoreType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Recurring tasks: where their ticks are claimed, and how late ticks are treated.
 * <p>
 * Bound to {@code celeriac.recurring.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.recurring")
public class RecurringProperties {

	/**
	 * Schedule store, where each tick is claimed by one instance and each schedule's last
	 * run is kept. When unset: redis if spring.data.redis.host, url, port, cluster.nodes
	 * or sentinel.master is set or a DataRedisConnectionDetails bean exists, memory
	 * otherwise. jdbc uses the application's database (table celeriac_schedule). With
	 * memory, every instance publishes every tick.
	 */
	private @Nullable ScheduleStoreType type;

	/**
	 * Whether this application publishes the ticks of its schedules. Any number of
	 * instances may on the same store: each tick is published by one of them.
	 */
	private boolean enabled = true;

	/**
	 * How late a tick may still be published. Ticks missed for longer (every instance was
	 * down) follow their schedule's missed-ticks policy; later ones are published each,
	 * in order.
	 */
	private Duration misfireThreshold = Duration.ofSeconds(30);

	/**
	 * Longest the scheduler sleeps between two looks at the store; it wakes for the next
	 * tick sooner.
	 */
	private Duration pollInterval = Duration.ofSeconds(1);

	/**
	 * When to create the celeriac_schedule table of the jdbc store: embedded, always, or
	 * never.
	 */
	private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

	public @Nullable ScheduleStoreType getType() {
		return this.type;
	}

	public void setType(@Nullable ScheduleStoreType type) {
		this.type = type;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getMisfireThreshold() {
		return this.misfireThreshold;
	}

	public void setMisfireThreshold(Duration misfireThreshold) {
		this.misfireThreshold = misfireThreshold;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public DatabaseInitializationMode getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

}

package io.celeriac.autoconfigure.delay;

import java.time.Duration;

import io.celeriac.autoconfigure.StoreType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Delayed tasks: where tasks with a future eta (countdowns, retries) wait, and the
 * scheduler that publishes them when due.
 * <p>
 * Bound to {@code celeriac.scheduler.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.scheduler")
public class SchedulerProperties {

	/**
	 * Delayed task store. When unset: redis if spring.data.redis.host, url, port,
	 * cluster.nodes or sentinel.master is set or a DataRedisConnectionDetails bean
	 * exists, memory otherwise. The memory store loses its tasks when the process stops,
	 * so beside a real broker (rabbit, redis, sqs) it must be chosen explicitly: falling
	 * back to it by default stops startup.
	 */
	private @Nullable StoreType type;

	/**
	 * Whether this application runs a scheduler that publishes due tasks. Any number of
	 * instances may run one on the same store.
	 */
	private boolean enabled = true;

	/**
	 * Longest the scheduler sleeps after finding fewer due tasks than a batch: it wakes
	 * when the store's next task is due, and at least this often, which bounds how late
	 * it sees a task parked by another process or a lapsed claim.
	 */
	private Duration pollInterval = Duration.ofMillis(50);

	/**
	 * The most due tasks the scheduler claims at once.
	 */
	private int batchSize = 500;

	/**
	 * How long a claim holds: a task claimed by a scheduler that died is published by
	 * another after this long. Must be longer than celeriac.broker.confirm-timeout.
	 */
	private Duration claimLease = Duration.ofSeconds(60);

	public @Nullable StoreType getType() {
		return this.type;
	}

	public void setType(@Nullable StoreType type) {
		this.type = type;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public Duration getClaimLease() {
		return this.claimLease;
	}

	public void setClaimLease(Duration claimLease) {
		this.claimLease = claimLease;
	}

}

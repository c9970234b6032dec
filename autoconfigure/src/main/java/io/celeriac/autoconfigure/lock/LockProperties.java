package io.celeriac.autoconfigure.lock;

import java.time.Duration;

import io.celeriac.autoconfigure.StoreType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Distributed locks: where they are held, and the expiry and wait that {@code @Locked}
 * methods get when they do not say.
 * <p>
 * Bound to {@code celeriac.lock.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.lock")
public class LockProperties {

	/**
	 * Lock backend. When unset: redis if spring.data.redis.host, url, port, cluster.nodes
	 * or sentinel.master is set or a DataRedisConnectionDetails bean exists, memory
	 * otherwise; memory chosen that way beside a real broker logs a warning at startup.
	 */
	private @Nullable StoreType type;

	public @Nullable StoreType getType() {
		return this.type;
	}

	public void setType(@Nullable StoreType type) {
		this.type = type;
	}

	/**
	 * How long a lock lasts unless released first, for @Locked methods that do not say.
	 * Longer than the guarded work takes, or use the watchdog.
	 */
	private Duration defaultExpires = Duration.ofSeconds(60);

	/**
	 * How long a @Locked method waits for its lock before it fails with a
	 * LockTimeoutException, when the annotation does not say.
	 */
	private Duration defaultTimeout = Duration.ofSeconds(10);

	/**
	 * Whether every @Locked method keeps its lock alive with a watchdog (an extension
	 * every third of the expiry) while it runs.
	 */
	private boolean watchdog;

	public Duration getDefaultExpires() {
		return this.defaultExpires;
	}

	public void setDefaultExpires(Duration defaultExpires) {
		this.defaultExpires = defaultExpires;
	}

	public Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	public void setDefaultTimeout(Duration defaultTimeout) {
		this.defaultTimeout = defaultTimeout;
	}

	public boolean isWatchdog() {
		return this.watchdog;
	}

	public void setWatchdog(boolean watchdog) {
		this.watchdog = watchdog;
	}

}

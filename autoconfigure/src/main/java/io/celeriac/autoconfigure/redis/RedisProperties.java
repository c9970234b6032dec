package io.celeriac.autoconfigure.redis;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What every Redis backend shares: the prefix of its keys, and how the Redis client
 * behaves while the server is unreachable.
 * <p>
 * Bound to {@code celeriac.redis.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.redis")
public class RedisProperties {

	/**
	 * Prefix of every Redis key that Celeriac writes, so that several applications or
	 * environments can share one Redis.
	 */
	private String keyPrefix = "celeriac:";

	/**
	 * Whether Celeriac makes the application's Lettuce client fail fast while Redis is
	 * down: commands are rejected instead of queued until it returns, each fails after
	 * the command timeout (or the lock or limiter call's own timeout, if shorter), and
	 * reconnection attempts are at most max-reconnect-delay apart.
	 */
	private boolean failFast = true;

	/**
	 * How long a Redis command may take before it fails, when spring.data.redis.timeout
	 * is not set (which otherwise takes precedence).
	 */
	private Duration commandTimeout = Duration.ofSeconds(2);

	/**
	 * Longest pause between two attempts to reconnect to Redis, so that every Redis
	 * capability works again soon after Redis is back.
	 */
	private Duration maxReconnectDelay = Duration.ofMillis(500);

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public boolean isFailFast() {
		return this.failFast;
	}

	public void setFailFast(boolean failFast) {
		this.failFast = failFast;
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

	public Duration getMaxReconnectDelay() {
		return this.maxReconnectDelay;
	}

	public void setMaxReconnectDelay(Duration maxReconnectDelay) {
		this.maxReconnectDelay = maxReconnectDelay;
	}

}

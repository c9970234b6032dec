package io.celeriac.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.util.Assert;

/**
 * How a Lettuce client behaves when Redis fails, so that an outage costs callers a clear
 * error within their own deadline rather than a hung thread: commands are rejected while
 * the connection is down instead of being queued until it returns, each command fails
 * after the command timeout (or the caller's {@link RedisDeadline}, if shorter), and the
 * client tries to reconnect with an exponential delay capped at
 * {@code maxReconnectDelay}, so that it is back soon after Redis is.
 *
 * @param commandTimeout how long a command may take before it fails
 * @param maxReconnectDelay the longest pause between two reconnection attempts
 * @author Celeriac team
 */
public record RedisClientSettings(Duration commandTimeout, Duration maxReconnectDelay) {

	/**
	 * Celeriac's defaults: a 2 second command timeout and at most 500 ms between
	 * reconnection attempts.
	 */
	public static final RedisClientSettings DEFAULTS = new RedisClientSettings(Duration.ofSeconds(2),
			Duration.ofMillis(500));

	private static final Duration FIRST_RECONNECT_DELAY = Duration.ofMillis(10);

	public RedisClientSettings {
		Assert.isTrue(commandTimeout != null && commandTimeout.toMillis() >= 1,
				() -> "The Redis command timeout must be at least 1ms, was " + commandTimeout);
		Assert.isTrue(maxReconnectDelay != null && maxReconnectDelay.toMillis() >= 1,
				() -> "The Redis reconnect delay must be at least 1ms, was " + maxReconnectDelay);
	}

	/**
	 * Makes client options fail fast: commands are rejected while disconnected, the
	 * client reconnects by itself, and every command is timed by
	 * {@link #timeoutOptions()}.
	 * @param options the options to change
	 * @return the same builder
	 */
	public ClientOptions.Builder applyTo(ClientOptions.Builder options) {
		return options.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(timeoutOptions());
	}

	/**
	 * Caps the delay between reconnection attempts.
	 * @param resources the client resources to change
	 * @return the same builder
	 */
	public ClientResources.Builder applyTo(ClientResources.Builder resources) {
		return resources.reconnectDelay(reconnectDelay());
	}

	/**
	 * Returns the timeout options: each command fails after the command timeout, or after
	 * the deadline its caller set with {@link RedisDeadline}.
	 * @return the timeout options
	 */
	public TimeoutOptions timeoutOptions() {
		return TimeoutOptions.builder().timeoutCommands(true).timeoutSource(new DeadlineTimeoutSource(this)).build();
	}

	/**
	 * Returns the reconnect delay: exponential from 10 ms, capped at
	 * {@link #maxReconnectDelay()}.
	 * @return the delay
	 */
	public Delay reconnectDelay() {
		Duration lower = (FIRST_RECONNECT_DELAY.compareTo(this.maxReconnectDelay) < 0) ? FIRST_RECONNECT_DELAY
				: this.maxReconnectDelay;
		return Delay.exponential(lower, this.maxReconnectDelay, 2, TimeUnit.MILLISECONDS);
	}

	/**
	 * Returns a Spring Data client configuration with these settings, for a connection
	 * factory built without Spring Boot (the resources, which carry the reconnect delay,
	 * are the caller's to shut down).
	 * @param resources client resources, e.g. built with
	 * {@link #applyTo(ClientResources.Builder)}
	 * @return the client configuration
	 */
	public LettuceClientConfiguration clientConfiguration(ClientResources resources) {
		ClientOptions.Builder options = ClientOptions.builder()
			.socketOptions(SocketOptions.builder().connectTimeout(this.commandTimeout).build());
		return LettuceClientConfiguration.builder()
			.commandTimeout(this.commandTimeout)
			.clientOptions(applyTo(options).build())
			.clientResources(resources)
			.build();
	}

	private static final class DeadlineTimeoutSource extends TimeoutOptions.TimeoutSource {

		private final Duration commandTimeout;

		DeadlineTimeoutSource(RedisClientSettings settings) {
			this.commandTimeout = settings.commandTimeout();
		}

		@Override
		public long getTimeout(RedisCommand<?, ?, ?> command) {
			return RedisDeadline.timeoutNanos(this.commandTimeout);
		}

		@Override
		public TimeUnit getTimeUnit() {
			return TimeUnit.NANOSECONDS;
		}

	}

}

package io.celeriac.lock.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Listens for the release announcements published on a Redis channel, and passes the name
 * in each to a callback. If Redis cannot be reached when the listener starts, the
 * application still starts: the subscription is tried again, at most once a second,
 * whenever {@link #ensureListening()} is called after Redis answered. Until then, waiters
 * wake when the lock or place they wait for expires. Once subscribed, Spring Data Redis
 * recovers the subscription after a connection loss by itself.
 *
 * @author Celeriac team
 */
public final class RedisReleaseListener implements AutoCloseable {

	private static final Duration RETRY = Duration.ofSeconds(1);

	private static final Duration RECOVERY_INTERVAL = Duration.ofMillis(500);

	private final Logger logger = LoggerFactory.getLogger(RedisReleaseListener.class);

	private final RedisConnectionFactory connectionFactory;

	private final String channel;

	private final Consumer<String> released;

	private final AtomicLong nextAttempt = new AtomicLong(System.nanoTime());

	private volatile @Nullable RedisMessageListenerContainer container;

	private volatile boolean closed;

	/**
	 * Creates a listener and tries to subscribe at once.
	 * @param connectionFactory the Redis connections
	 * @param channel the channel on which releases are announced
	 * @param released called with the name in each announcement
	 */
	public RedisReleaseListener(RedisConnectionFactory connectionFactory, String channel, Consumer<String> released) {
		this.connectionFactory = connectionFactory;
		this.channel = channel;
		this.released = released;
		ensureListening();
	}

	/**
	 * Subscribes if not yet subscribed and no attempt was made within the last second.
	 */
	public void ensureListening() {
		if (this.container != null || this.closed) {
			return;
		}
		long next = this.nextAttempt.get();
		long now = System.nanoTime();
		if (now - next < 0 || !this.nextAttempt.compareAndSet(next, now + RETRY.toNanos())) {
			return;
		}
		subscribe();
	}

	/**
	 * Returns whether the subscription is established.
	 * @return whether releases are heard
	 */
	public boolean isListening() {
		return this.container != null;
	}

	private synchronized void subscribe() {
		if (this.container != null || this.closed) {
			return;
		}
		RedisMessageListenerContainer candidate = new RedisMessageListenerContainer();
		candidate.setConnectionFactory(this.connectionFactory);
		// the callback only signals waiting threads: run it where the message arrives
		candidate.setTaskExecutor(new SyncTaskExecutor());
		// after a connection loss, subscribe again soon after Redis is back (the
		// container's default waits 5 s between attempts)
		candidate.setRecoveryInterval(RECOVERY_INTERVAL.toMillis());
		candidate.addMessageListener(
				(message, pattern) -> this.released.accept(new String(message.getBody(), StandardCharsets.UTF_8)),
				new ChannelTopic(this.channel));
		try {
			candidate.afterPropertiesSet();
			candidate.start();
			this.container = candidate;
		}
		catch (RuntimeException ex) {
			this.logger.warn("Not listening for releases on Redis channel '{}' yet ({}); waiters wake on expiry "
					+ "until Redis answers", this.channel, ex.getMessage());
			destroy(candidate);
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		RedisMessageListenerContainer current = this.container;
		this.container = null;
		if (current != null) {
			destroy(current);
		}
	}

	private void destroy(RedisMessageListenerContainer container) {
		try {
			container.destroy();
		}
		catch (Exception ex) {
			this.logger.debug("Could not stop listening on Redis channel '{}'", this.channel, ex);
		}
	}

}

package io.celeriac.lock.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.celeriac.lock.AbstractDistributedLock;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.LockAttempt;
import io.celeriac.lock.LockUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;
import org.springframework.util.StreamUtils;

/**
 * A {@link DistributedLock} on Redis or Redis Cluster. A lock is a string key holding its
 * owner token with a time to live; Lua scripts take it only when absent and release or
 * extend it only for its owner, so no clocks need to agree. Each acquisition increments a
 * fencing counter kept beside the lock in the same hash slot ({@code <prefix>lock:{key}}
 * and {@code <prefix>lock:{key}:fence}). Releases are published on
 * {@code <prefix>lock:released}, which wakes the waiters of every process at once.
 *
 * @author Celeriac team
 */
public class RedisDistributedLock extends AbstractDistributedLock {

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final String channel;

	private final RedisReleaseListener listener;

	private final RedisScript<List> acquireScript = script("lock-acquire", List.class);

	private final RedisScript<Long> releaseScript = script("lock-release", Long.class);

	private final RedisScript<Long> extendScript = script("lock-extend", Long.class);

	/**
	 * Creates a lock store on the given connections and subscribes to release
	 * announcements.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix the prefix of every key and channel, e.g. {@code celeriac:}
	 */
	public RedisDistributedLock(RedisConnectionFactory connectionFactory, String keyPrefix) {
		Assert.notNull(connectionFactory, "RedisConnectionFactory must not be null");
		Assert.notNull(keyPrefix, "Key prefix must not be null");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
		this.channel = keyPrefix + "lock:released";
		this.listener = new RedisReleaseListener(connectionFactory, this.channel, this::released);
	}

	@Override
	protected LockAttempt tryLock(String key, String owner, Duration expires) {
		List<?> result = call("acquire", key, () -> this.redis.execute(this.acquireScript,
				List.of(lockKey(key), lockKey(key) + ":fence"), owner, Long.toString(expires.toMillis())));
		this.listener.ensureListening();
		long value = ((Number) result.get(1)).longValue();
		return (((Number) result.get(0)).longValue() == 1) ? LockAttempt.taken(value)
				: LockAttempt.held(Duration.ofMillis(Math.max(0, value)));
	}

	@Override
	protected boolean unlock(String key, String owner) {
		Long result = call("release", key,
				() -> this.redis.execute(this.releaseScript, List.of(lockKey(key)), owner, this.channel, key));
		if (result == 1) {
			// waiters of this process need not wait for the announcement to come back
			released(key);
			return true;
		}
		return false;
	}

	@Override
	protected boolean extend(String key, String owner, Duration expires) {
		return call("extend", key, () -> this.redis.execute(this.extendScript, List.of(lockKey(key)), owner,
				Long.toString(expires.toMillis()))) == 1;
	}

	@Override
	protected @Nullable String holder(String key) {
		return call("inspect", key, () -> this.redis.opsForValue().get(lockKey(key)));
	}

	/**
	 * Stops listening for releases and stops the watchdogs.
	 */
	@Override
	public void close() {
		super.close();
		this.listener.close();
	}

	private String lockKey(String key) {
		return this.keyPrefix + "lock:{" + key + "}";
	}

	private <T> T call(String action, String key, Supplier<@Nullable T> operation) {
		T result;
		try {
			result = operation.get();
		}
		catch (DataAccessException ex) {
			throw new LockUnavailableException(
					"Could not " + action + " lock '" + key + "': Redis did not answer (" + ex.getMessage() + ")", ex);
		}
		if (result == null && !action.equals("inspect")) {
			throw new LockUnavailableException("Could not " + action + " lock '" + key + "': Redis returned no reply",
					new IllegalStateException("null reply"));
		}
		return result;
	}

	// read once: a script on a resource would check the resource for changes on every
	// call
	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		String path = "META-INF/celeriac/" + name + ".lua";
		try (InputStream source = new ClassPathResource(path).getInputStream()) {
			return RedisScript.of(StreamUtils.copyToString(source, StandardCharsets.UTF_8), resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + path, ex);
		}
	}

}

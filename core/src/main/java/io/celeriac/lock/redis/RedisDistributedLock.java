package io.celeriac.lock.redis;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.celeriac.lock.AbstractDistributedLock;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.LockAttempt;
import io.celeriac.lock.LockUnavailableException;
import io.celeriac.redis.RedisDeadline;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * A {@link DistributedLock} on Redis or Redis Cluster. A lock is a string key holding its
 * owner token with a time to live; Lua scripts take it only when absent and release or
 * extend it only for its owner, so no clocks need to agree. Each acquisition increments a
 * fencing counter kept beside the lock in the same hash slot ({@code <prefix>lock:{key}}
 * and {@code <prefix>lock:{key}:fence}). While somebody waits for a lock
 * ({@code <prefix>lock:{key}:waiters}), its releases are published on
 * {@code <prefix>lock:released}, which wakes the waiters of every process at once.
 *
 * @author Celeriac team
 */
public class RedisDistributedLock extends AbstractDistributedLock {

	private final RedisScripts redis;

	private final String keyPrefix;

	private final String channel;

	private final RedisReleaseListener listener;

	private final RedisScripts.Script acquireScript = RedisScripts.load("lock-acquire");

	private final RedisScripts.Script releaseScript = RedisScripts.load("lock-release");

	private final RedisScripts.Script extendScript = RedisScripts.load("lock-extend");

	/**
	 * Creates a lock store on the given connections and subscribes to release
	 * announcements.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix the prefix of every key and channel, e.g. {@code celeriac:}
	 */
	public RedisDistributedLock(RedisConnectionFactory connectionFactory, String keyPrefix) {
		Assert.notNull(connectionFactory, "RedisConnectionFactory must not be null");
		Assert.notNull(keyPrefix, "Key prefix must not be null");
		this.redis = new RedisScripts(connectionFactory);
		this.keyPrefix = keyPrefix;
		this.channel = keyPrefix + "lock:released";
		this.listener = new RedisReleaseListener(connectionFactory, this.channel, this::released);
	}

	@Override
	protected LockAttempt tryLock(String key, String owner, Duration expires, Duration wait) {
		String lockKey = lockKey(key);
		// a caller who waits no longer than its timeout must not wait longer for Redis
		List<?> result = call("acquire", key,
				() -> RedisDeadline.within(wait,
						() -> this.redis.multi(this.acquireScript,
								List.of(lockKey, lockKey + ":fence", lockKey + ":waiters"), owner,
								Long.toString(expires.toMillis()), Long.toString(waitMillis(wait)))));
		this.listener.ensureListening();
		long value = ((Number) result.get(1)).longValue();
		return (((Number) result.get(0)).longValue() == 1) ? LockAttempt.taken(value)
				: LockAttempt.held(Duration.ofMillis(Math.max(0, value)));
	}

	@Override
	protected boolean unlock(String key, String owner) {
		long result = call("release", key, () -> this.redis.integer(this.releaseScript,
				List.of(lockKey(key), lockKey(key) + ":waiters"), owner, this.channel, key));
		if (result == 1) {
			// waiters of this process need not wait for the announcement to come back
			released(key);
			return true;
		}
		return false;
	}

	@Override
	protected boolean extend(String key, String owner, Duration expires) {
		return call("extend", key, () -> this.redis.integer(this.extendScript, List.of(lockKey(key)), owner,
				Long.toString(expires.toMillis()))) == 1;
	}

	@Override
	protected @Nullable String holder(String key) {
		return call("inspect", key, () -> this.redis.get(lockKey(key)));
	}

	/**
	 * Stops listening for releases and stops the watchdogs.
	 */
	@Override
	public void close() {
		super.close();
		this.listener.close();
	}

	private static long waitMillis(Duration wait) {
		return (wait.isZero() || wait.isNegative()) ? 0 : Math.max(1, wait.toMillis());
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

}

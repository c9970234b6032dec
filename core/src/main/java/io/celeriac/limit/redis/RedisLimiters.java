package io.celeriac.limit.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.celeriac.limit.AbstractLimiter;
import io.celeriac.limit.AbstractLimiters;
import io.celeriac.limit.AbstractRateLimiter;
import io.celeriac.limit.Limiter;
import io.celeriac.limit.LimiterDefinition;
import io.celeriac.limit.LimiterUnavailableException;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.PermitAttempt;
import io.celeriac.limit.RateDecision;
import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.limit.RateLimiter;
import io.celeriac.lock.ReleaseSignals;
import io.celeriac.lock.redis.RedisReleaseListener;
import io.celeriac.lock.redis.RedisScripts;
import io.celeriac.redis.RedisDeadline;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * {@link Limiters} on Redis or Redis Cluster. A limiter is a sorted set of holder keys
 * scored by expiry and a hash of their permit tokens
 * ({@code <prefix>limiter:{name}:holders} and {@code :owners}, one hash slot), which Lua
 * scripts prune, fill and free atomically using the server's clock. Releases are
 * published on {@code <prefix>limiter:released}. A rate limiter keeps one GCRA timestamp
 * per key ({@code <prefix>rate:name:key}), spread over the cluster.
 *
 * @author Celeriac team
 */
public class RedisLimiters extends AbstractLimiters implements AutoCloseable {

	private final RedisScripts redis;

	private final String keyPrefix;

	private final String channel;

	private final ReleaseSignals signals = new ReleaseSignals();

	private final RedisReleaseListener listener;

	private final RedisScripts.Script acquireScript = RedisScripts.load("limiter-acquire");

	private final RedisScripts.Script releaseScript = RedisScripts.load("limiter-release");

	private final RedisScripts.Script countScript = RedisScripts.load("limiter-count");

	private final RedisScripts.Script rateScript = RedisScripts.load("rate-limit");

	private final RedisScripts.Script reserveScript = RedisScripts.load("rate-reserve");

	/**
	 * Creates limiters with no configured names.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix the prefix of every key and channel, e.g. {@code celeriac:}
	 */
	public RedisLimiters(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this(connectionFactory, keyPrefix, Map.of(), Map.of());
	}

	/**
	 * Creates limiters with the given configured definitions and subscribes to release
	 * announcements.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix the prefix of every key and channel, e.g. {@code celeriac:}
	 * @param limiters the configured limiters by name
	 * @param rateLimiters the configured rate limiters by name
	 */
	public RedisLimiters(RedisConnectionFactory connectionFactory, String keyPrefix,
			Map<String, LimiterDefinition> limiters, Map<String, RateLimitDefinition> rateLimiters) {
		super(limiters, rateLimiters);
		Assert.notNull(connectionFactory, "RedisConnectionFactory must not be null");
		Assert.notNull(keyPrefix, "Key prefix must not be null");
		this.redis = new RedisScripts(connectionFactory);
		this.keyPrefix = keyPrefix;
		this.channel = keyPrefix + "limiter:released";
		this.listener = new RedisReleaseListener(connectionFactory, this.channel, this.signals::signal);
	}

	@Override
	protected Limiter createLimiter(String name, LimiterDefinition definition) {
		return new RedisLimiter(name, definition);
	}

	@Override
	protected RateLimiter createRateLimiter(String name, RateLimitDefinition definition) {
		return new RedisRateLimiter(name, definition);
	}

	/**
	 * Stops listening for releases.
	 */
	@Override
	public void close() {
		this.listener.close();
	}

	private <T> T call(String action, String name, Supplier<@Nullable T> operation) {
		T result;
		try {
			result = operation.get();
		}
		catch (DataAccessException ex) {
			throw new LimiterUnavailableException("Could not " + action + " in limiter '" + name
					+ "': Redis did not answer (" + ex.getMessage() + ")", ex);
		}
		if (result == null) {
			throw new LimiterUnavailableException(
					"Could not " + action + " in limiter '" + name + "': Redis returned no reply",
					new IllegalStateException("null reply"));
		}
		return result;
	}

	private final class RedisLimiter extends AbstractLimiter {

		private final List<String> keys;

		RedisLimiter(String name, LimiterDefinition definition) {
			super(name, definition, RedisLimiters.this.signals);
			String base = RedisLimiters.this.keyPrefix + "limiter:{" + name + "}";
			this.keys = List.of(base + ":holders", base + ":owners", base + ":waiters");
		}

		@Override
		protected PermitAttempt tryTake(String key, String token, Duration wait) {
			List<?> result = call("acquire a place", name(), () -> RedisDeadline.within(wait,
					() -> RedisLimiters.this.redis.multi(RedisLimiters.this.acquireScript, this.keys, key, token,
							Integer.toString(limit()), Long.toString(expires().toMillis()),
							Long.toString((wait.isZero() || wait.isNegative()) ? 0 : Math.max(1, wait.toMillis())))));
			RedisLimiters.this.listener.ensureListening();
			return new PermitAttempt(((Number) result.get(0)).longValue() == 1,
					Duration.ofMillis(((Number) result.get(1)).longValue()));
		}

		@Override
		protected boolean give(String key, @Nullable String token) {
			long freed = call("release a place", name(),
					() -> RedisLimiters.this.redis.integer(RedisLimiters.this.releaseScript, this.keys, key,
							(token != null) ? token : "", RedisLimiters.this.channel, name()));
			if (freed == 1) {
				released();
				return true;
			}
			return false;
		}

		@Override
		protected int count() {
			return call("count the holders", name(),
					() -> RedisLimiters.this.redis.integer(RedisLimiters.this.countScript, this.keys.subList(0, 1)))
				.intValue();
		}

	}

	private final class RedisRateLimiter extends AbstractRateLimiter {

		private final String keyPrefix;

		private final String interval;

		private final String period;

		RedisRateLimiter(String name, RateLimitDefinition definition) {
			super(name, definition);
			this.keyPrefix = RedisLimiters.this.keyPrefix + "rate:" + name + ":";
			this.interval = Long.toString(Math.max(1, definition.interval().toNanos() / 1000));
			this.period = Long.toString(definition.period().toNanos() / 1000);
		}

		@Override
		protected RateDecision decide(String key) {
			List<?> result = call("count an acquisition", name(), () -> RedisLimiters.this.redis
				.multi(RedisLimiters.this.rateScript, List.of(this.keyPrefix + key), this.interval, this.period));
			return (((Number) result.get(0)).longValue() == 1) ? RateDecision.allow()
					: RateDecision.deny(Duration.ofNanos(((Number) result.get(1)).longValue() * 1000));
		}

		@Override
		protected Duration reserveNext(String key) {
			long wait = call("reserve an acquisition", name(), () -> RedisLimiters.this.redis
				.integer(RedisLimiters.this.reserveScript, List.of(this.keyPrefix + key), this.interval, this.period));
			return Duration.ofNanos(wait * 1000);
		}

	}

}

package io.celeriac.autoconfigure.limit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.autoconfigure.StoreType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limiters and rate limiters: where their counts are kept (the worker's task rate limits
 * count there too), and the named ones that {@code @Limited} methods use.
 * <p>
 * Bound to {@code celeriac.limiter.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.limiter")
public class LimiterProperties {

	/**
	 * Limiter backend. When unset: redis if spring.data.redis.host, url, port,
	 * cluster.nodes or sentinel.master is set or a DataRedisConnectionDetails bean
	 * exists, memory otherwise; memory chosen that way beside a real broker logs a
	 * warning at startup.
	 */
	private @Nullable StoreType type;

	public @Nullable StoreType getType() {
		return this.type;
	}

	public void setType(@Nullable StoreType type) {
		this.type = type;
	}

	/**
	 * Limiters by name: at most 'limit' holders at once, each losing its place after
	 * 'expires' unless it releases it first.
	 */
	private final Map<String, Definition> limiters = new LinkedHashMap<>();

	/**
	 * Rate limiters by name: at most 'limit' acquisitions per 'period' for each key.
	 */
	private final Map<String, RateDefinition> rateLimiters = new LinkedHashMap<>();

	public Map<String, Definition> getLimiters() {
		return this.limiters;
	}

	public Map<String, RateDefinition> getRateLimiters() {
		return this.rateLimiters;
	}

	/**
	 * One limiter.
	 */
	public static class Definition {

		/**
		 * How many holders may hold a place at once.
		 */
		private int limit = 1;

		/**
		 * How long a place lasts unless released first, so that a holder that dies frees
		 * its place.
		 */
		private Duration expires = Duration.ofSeconds(10);

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

		public Duration getExpires() {
			return this.expires;
		}

		public void setExpires(Duration expires) {
			this.expires = expires;
		}

	}

	/**
	 * One rate limiter.
	 */
	public static class RateDefinition {

		/**
		 * How many acquisitions each key may make per period (also the largest burst).
		 */
		private int limit = 1;

		/**
		 * The period.
		 */
		private Duration period = Duration.ofSeconds(1);

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

	}

}

package io.celeriac.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Celeriac, under the {@code celeriac} prefix.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac")
public class CeleriacProperties {

	private final Broker broker = new Broker();

	private final Result result = new Result();

	private final Cache cache = new Cache();

	private final Lock lock = new Lock();

	private final Limiter limiter = new Limiter();

	private final Redis redis = new Redis();

	public Broker getBroker() {
		return this.broker;
	}

	public Result getResult() {
		return this.result;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Lock getLock() {
		return this.lock;
	}

	public Limiter getLimiter() {
		return this.limiter;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * Where tasks are published and consumed.
	 */
	public static class Broker {

		/**
		 * Broker backend. When unset: rabbit if spring.rabbitmq.host, addresses or port
		 * is set, memory otherwise.
		 */
		private @Nullable BrokerType type;

		public @Nullable BrokerType getType() {
			return this.type;
		}

		public void setType(@Nullable BrokerType type) {
			this.type = type;
		}

	}

	/**
	 * Where workers record task results.
	 */
	public static class Result {

		/**
		 * Result store backend. When unset: jdbc if spring.datasource.url or jndi-name is
		 * set, memory otherwise.
		 */
		private @Nullable ResultStoreType type;

		public @Nullable ResultStoreType getType() {
			return this.type;
		}

		public void setType(@Nullable ResultStoreType type) {
			this.type = type;
		}

	}

	/**
	 * Cache regions.
	 */
	public static class Cache {

		/**
		 * Cache backend. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

	}

	/**
	 * Distributed locks.
	 */
	public static class Lock {

		/**
		 * Lock backend. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

		/**
		 * How long a lock lasts unless released first, for @Locked methods that do not
		 * say. Longer than the guarded work takes, or use the watchdog.
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

	/**
	 * Limiters.
	 */
	public static class Limiter {

		/**
		 * Limiter backend. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise.
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
			 * How long a place lasts unless released first, so that a holder that dies
			 * frees its place.
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
			 * How many acquisitions each key may make per period (also the largest
			 * burst).
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

	/**
	 * What every Redis backend shares.
	 */
	public static class Redis {

		/**
		 * Prefix of every Redis key that Celeriac writes, so that several applications or
		 * environments can share one Redis.
		 */
		private String keyPrefix = "celeriac:";

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

	}

}

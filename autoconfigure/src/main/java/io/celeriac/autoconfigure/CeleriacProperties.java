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

		/**
		 * Whether @CacheRegion methods cache their results. When false, every call runs
		 * the method.
		 */
		private boolean enabled = true;

		/**
		 * Whether hits, misses and stale serves are counted, per region and namespace, in
		 * Micrometer and in the store (cluster-wide on Redis).
		 */
		private boolean statistics = true;

		/**
		 * How long each Redis command of the cache may take; a slower or failed command
		 * makes the call run uncached.
		 */
		private Duration redisTimeout = Duration.ofMillis(500);

		/**
		 * How long a caller waits for another caller that is computing a missing entry
		 * before it computes the value itself.
		 */
		private Duration coldMissWait = Duration.ofSeconds(5);

		/**
		 * How long the write lock of a caller that computes an entry lives, so that a
		 * caller that dies does not block the entry. Longer than the slowest cached
		 * method.
		 */
		private Duration lockExpires = Duration.ofSeconds(30);

		/**
		 * How long the store is left alone after it failed or was too slow; meanwhile
		 * cached methods run uncached at once.
		 */
		private Duration failureBackoff = Duration.ofSeconds(2);

		/**
		 * Cache regions by name, as @CacheRegion names them.
		 */
		private Map<String, Region> regions = new LinkedHashMap<>();

		private final Memory memory = new Memory();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isStatistics() {
			return this.statistics;
		}

		public void setStatistics(boolean statistics) {
			this.statistics = statistics;
		}

		public Duration getRedisTimeout() {
			return this.redisTimeout;
		}

		public void setRedisTimeout(Duration redisTimeout) {
			this.redisTimeout = redisTimeout;
		}

		public Duration getColdMissWait() {
			return this.coldMissWait;
		}

		public void setColdMissWait(Duration coldMissWait) {
			this.coldMissWait = coldMissWait;
		}

		public Duration getLockExpires() {
			return this.lockExpires;
		}

		public void setLockExpires(Duration lockExpires) {
			this.lockExpires = lockExpires;
		}

		public Duration getFailureBackoff() {
			return this.failureBackoff;
		}

		public void setFailureBackoff(Duration failureBackoff) {
			this.failureBackoff = failureBackoff;
		}

		public Map<String, Region> getRegions() {
			return this.regions;
		}

		public void setRegions(Map<String, Region> regions) {
			this.regions = regions;
		}

		public Memory getMemory() {
			return this.memory;
		}

		/**
		 * One cache region.
		 */
		public static class Region {

			/**
			 * How long after it was computed an entry is fresh. After that, the next
			 * caller regenerates it while others get the stale value. Required.
			 */
			private @Nullable Duration expires;

			/**
			 * How long the store keeps an entry at all (the Redis key's expiration); at
			 * least expires.
			 */
			private Duration redisExpiration = Duration.ofDays(7);

			public @Nullable Duration getExpires() {
				return this.expires;
			}

			public void setExpires(@Nullable Duration expires) {
				this.expires = expires;
			}

			public Duration getRedisExpiration() {
				return this.redisExpiration;
			}

			public void setRedisExpiration(Duration redisExpiration) {
				this.redisExpiration = redisExpiration;
			}

		}

		/**
		 * The in-memory cache store.
		 */
		public static class Memory {

			/**
			 * How many entries the in-memory store holds at most.
			 */
			private int maximumEntries = 10_000;

			public int getMaximumEntries() {
				return this.maximumEntries;
			}

			public void setMaximumEntries(int maximumEntries) {
				this.maximumEntries = maximumEntries;
			}

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

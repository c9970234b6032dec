package io.celeriac.autoconfigure.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.autoconfigure.StoreType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cache regions: where cached values live, how long each region keeps them, and the
 * Spring Cache abstraction over them.
 * <p>
 * Bound to {@code celeriac.cache.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.cache")
public class CacheProperties {

	/**
	 * Cache backend. When unset: redis if spring.data.redis.host, url, port,
	 * cluster.nodes or sentinel.master is set or a DataRedisConnectionDetails bean
	 * exists, memory otherwise.
	 */
	private @Nullable StoreType type;

	public @Nullable StoreType getType() {
		return this.type;
	}

	public void setType(@Nullable StoreType type) {
		this.type = type;
	}

	/**
	 * Whether @CacheRegion methods cache their results. When false, every call runs the
	 * method.
	 */
	private boolean enabled = true;

	/**
	 * Whether hits, misses and stale serves are counted, per region and namespace, in
	 * Micrometer and in the store (cluster-wide on Redis).
	 */
	private boolean statistics = true;

	/**
	 * How long hits counted in a process may wait before they are added to the
	 * cluster-wide statistics in Redis. A hit itself writes nothing to Redis; misses and
	 * stale serves are counted at once.
	 */
	private Duration statisticsFlushInterval = Duration.ofSeconds(1);

	/**
	 * How long each Redis command of the cache may take; a slower or failed command makes
	 * the call run uncached.
	 */
	private Duration redisTimeout = Duration.ofMillis(500);

	/**
	 * How long a caller waits for another caller that is computing a missing entry before
	 * it computes the value itself.
	 */
	private Duration coldMissWait = Duration.ofSeconds(5);

	/**
	 * How long the write lock of a caller that computes an entry lives, so that a caller
	 * that dies does not block the entry. Longer than the slowest cached method.
	 */
	private Duration lockExpires = Duration.ofSeconds(30);

	/**
	 * How long the store is left alone after it failed or was too slow; meanwhile cached
	 * methods run uncached at once.
	 */
	private Duration failureBackoff = Duration.ofSeconds(1);

	/**
	 * How often the Redis connection that keeps near caches coherent is sent a PING. One
	 * not answered within redis-timeout turns the near caches off until Redis tracks
	 * changes on a new connection, so that a connection lost without a reset serves stale
	 * copies at most this interval plus redis-timeout.
	 */
	private Duration nearCachePingInterval = Duration.ofSeconds(1);

	/**
	 * Cache regions by name, as @CacheRegion names them.
	 */
	private Map<String, Region> regions = new LinkedHashMap<>();

	private final Memory memory = new Memory();

	private final SpringCache springCache = new SpringCache();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isStatistics() {
		return this.statistics;
	}

	public Duration getStatisticsFlushInterval() {
		return this.statisticsFlushInterval;
	}

	public void setStatisticsFlushInterval(Duration statisticsFlushInterval) {
		this.statisticsFlushInterval = statisticsFlushInterval;
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

	public Duration getNearCachePingInterval() {
		return this.nearCachePingInterval;
	}

	public void setNearCachePingInterval(Duration nearCachePingInterval) {
		this.nearCachePingInterval = nearCachePingInterval;
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

	public SpringCache getSpringCache() {
		return this.springCache;
	}

	/**
	 * One cache region.
	 */
	public static class Region {

		/**
		 * How long after it was computed an entry is fresh. After that, the next caller
		 * regenerates it while others get the stale value. Required.
		 */
		private @Nullable Duration expires;

		/**
		 * How long the store keeps an entry at all (the Redis key's expiration); at least
		 * expires.
		 */
		private Duration redisExpiration = Duration.ofDays(7);

		/**
		 * The region's near cache.
		 */
		private final NearCache nearCache = new NearCache();

		public NearCache getNearCache() {
			return this.nearCache;
		}

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

		/**
		 * The region's near cache: fresh entries kept in process memory, kept coherent by
		 * Redis's client-side caching (RESP3 CLIENT TRACKING).
		 */
		public static class NearCache {

			/**
			 * Whether hits of this region are answered from process memory. Another
			 * process's write, expiry or invalidation drops the copy when Redis reports
			 * it (usually within a millisecond); this process's own drops it before the
			 * call returns. Needs the Redis cache store, a standalone or Sentinel Redis 6
			 * or later.
			 */
			private boolean enabled;

			/**
			 * How many entries the near cache holds at most; past it, an arbitrary entry
			 * makes room.
			 */
			private int maxEntries = 10_000;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public int getMaxEntries() {
				return this.maxEntries;
			}

			public void setMaxEntries(int maxEntries) {
				this.maxEntries = maxEntries;
			}

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

	/**
	 * Spring's cache abstraction on the cache regions.
	 */
	public static class SpringCache {

		/**
		 * Whether the application's CacheManager is one whose caches are the cache
		 * regions, so that a method annotated with @Cacheable("short_term") caches in the
		 * region short_term.
		 */
		private boolean enabled;

		/**
		 * Whether the regions' caches keep null values. When false, a cached method that
		 * returns null is an error unless its annotation says unless = "#result == null".
		 */
		private boolean allowNullValues = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isAllowNullValues() {
			return this.allowNullValues;
		}

		public void setAllowNullValues(boolean allowNullValues) {
			this.allowNullValues = allowNullValues;
		}

	}

}

package io.celeriac.cache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheLookup;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.CacheStoreException;
import io.lettuce.core.RedisClient;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.celeriac.cache.redis.Utf8.bytes;
import static io.celeriac.cache.redis.Utf8.string;

/**
 * A {@link CacheStore} in Redis, shared by every process that uses the same key prefix.
 * Each region's keys carry the region as hash tag, so that they share one Redis Cluster
 * slot:
 * <ul>
 * <li>{@code <prefix>cache:{<region>}:entry:<namespace>:<arguments>}: the entry, its
 * creation time in milliseconds of the server's clock, a colon and the JSON value,
 * expiring after the region's store expiration;</li>
 * <li>{@code <prefix>cache:{<region>}:lock:<namespace>:<arguments>}: the entry's write
 * lock;</li>
 * <li>{@code <prefix>cache:{<region>}:invalidated} and
 * {@code <prefix>cache:{<region>}:invalidated:<namespace>}: when the region and a
 * function were last invalidated;</li>
 * <li>{@code <prefix>cache:{<region>}:statistics}: a hash of counters,
 * {@code hits:<namespace>}, {@code misses:<namespace>} and
 * {@code stale:<namespace>}.</li>
 * </ul>
 * A fresh hit costs one {@code MGET} of the entry and its two invalidation times, which
 * Redis answers atomically, so an invalidated entry is never served; its expiry is
 * checked against the server's clock as last seen by this store. Hits are counted in this
 * process and added to the statistics hash within the flush interval (and before this
 * store reads statistics or closes). Anything but a fresh hit, and every lookup before
 * this store has seen the server's clock, goes through one Lua script that reads the
 * entry, takes its write lock and counts the outcome atomically.
 * <p>
 * Regions may keep a near cache: copies of fresh entries in this process's memory, so
 * that a hit asks Redis nothing. Redis reports every change to those regions' keys on a
 * RESP3 connection of the store's own (server-assisted client-side caching, see
 * {@link InvalidationTracking}), and this store drops the copies its own changes make out
 * of date before the change returns. That connection is sent a {@code PING} at an
 * interval, so that one lost silently turns the near cache off too. Near hits are counted
 * as hits and, in the {@code nearHits:<namespace>} field, as near hits.
 * <p>
 * Every command waits at most the given timeout; a command that fails or times out throws
 * {@link CacheStoreException}. The connection factory must be Lettuce's.
 *
 * @author Celeriac team
 */
public class RedisCacheStore implements CacheStore, AutoCloseable {

	/**
	 * How long the server's clock as last seen is trusted to check a hit's expiry before
	 * a lookup goes through the script again, which reads the clock anew.
	 */
	private static final long CLOCK_TRUSTED_MILLIS = 30_000;

	private static final Duration DEFAULT_NEAR_CACHE_PING_INTERVAL = Duration.ofSeconds(1);

	private final RedisCalls calls;

	private final CacheScripts scripts;

	private final CacheKeys keys;

	private final HitCounts hits;

	private final @Nullable NearCache nearCache;

	private final @Nullable InvalidationTracking tracking;

	/**
	 * The server's clock minus this process's, in milliseconds, and when this process saw
	 * it (its own clock); {@code null} until a script answered.
	 */
	private volatile @Nullable ClockOffset clock;

	/**
	 * Creates a store that adds hits to the statistics within a second.
	 * @param connectionFactory Spring Boot's Lettuce connection factory
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param timeout how long each command may take before the call runs uncached
	 * @throws CacheConfigurationException if the factory is not Lettuce's
	 */
	public RedisCacheStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout) {
		this(connectionFactory, keyPrefix, timeout, Duration.ofSeconds(1));
	}

	/**
	 * Creates a store.
	 * @param connectionFactory Spring Boot's Lettuce connection factory
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param timeout how long each command may take before the call runs uncached
	 * @param hitsFlushInterval how long hits counted in this process may wait before they
	 * are added to the statistics in Redis
	 * @throws CacheConfigurationException if the factory is not Lettuce's
	 */
	public RedisCacheStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration hitsFlushInterval) {
		this(connectionFactory, keyPrefix, timeout, hitsFlushInterval, Map.of());
	}

	/**
	 * Creates a store that keeps a near cache of some regions and checks the connection
	 * that keeps it coherent every second.
	 * @param connectionFactory Spring Boot's Lettuce connection factory, started
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param timeout how long each command may take before the call runs uncached
	 * @param hitsFlushInterval how long hits counted in this process may wait before they
	 * are added to the statistics in Redis
	 * @param nearCacheEntries the regions that keep a near cache, each with the most
	 * entries it holds
	 * @throws CacheConfigurationException if the factory is not Lettuce's, or a near
	 * cache is asked of a Redis Cluster
	 */
	public RedisCacheStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration hitsFlushInterval, Map<String, Integer> nearCacheEntries) {
		this(connectionFactory, keyPrefix, timeout, hitsFlushInterval, nearCacheEntries,
				DEFAULT_NEAR_CACHE_PING_INTERVAL);
	}

	/**
	 * Creates a store that keeps a near cache of some regions.
	 * @param connectionFactory Spring Boot's Lettuce connection factory, started
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param timeout how long each command may take before the call runs uncached
	 * @param hitsFlushInterval how long hits counted in this process may wait before they
	 * are added to the statistics in Redis
	 * @param nearCacheEntries the regions that keep a near cache, each with the most
	 * entries it holds
	 * @param nearCachePingInterval how often the connection that keeps the near cache
	 * coherent is sent a {@code PING}; one not answered within the timeout turns the near
	 * cache off until a new connection tracks changes, so that a silently lost connection
	 * serves stale copies at most this interval plus the timeout
	 * @throws CacheConfigurationException if the factory is not Lettuce's, or a near
	 * cache is asked of a Redis Cluster
	 */
	public RedisCacheStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration hitsFlushInterval, Map<String, Integer> nearCacheEntries, Duration nearCachePingInterval) {
		if (!(connectionFactory instanceof LettuceConnectionFactory)) {
			throw new CacheConfigurationException("The Redis cache store needs Lettuce, not "
					+ connectionFactory.getClass().getName() + "; use Lettuce or set celeriac.cache.type=memory");
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new CacheConfigurationException("The Redis cache timeout must be positive, not " + timeout);
		}
		if (nearCachePingInterval.isNegative() || nearCachePingInterval.isZero()) {
			throw new CacheConfigurationException(
					"The near cache ping interval (celeriac.cache.near-cache-ping-interval) must be positive, not "
							+ nearCachePingInterval);
		}
		this.calls = new RedisCalls((LettuceConnectionFactory) connectionFactory, timeout);
		this.scripts = new CacheScripts(this.calls);
		this.keys = new CacheKeys(keyPrefix);
		this.hits = new HitCounts(hitsFlushInterval, this::addHits);
		nearCacheEntries.forEach((region, max) -> {
			if (max < 1) {
				throw new CacheConfigurationException(
						"The near cache of cache region '" + region + "' must hold at least one entry, not " + max);
			}
		});
		if (nearCacheEntries.isEmpty()) {
			this.nearCache = null;
			this.tracking = null;
		}
		else if (((LettuceConnectionFactory) connectionFactory).getNativeClient() instanceof RedisClient client) {
			this.nearCache = new NearCache(keyPrefix, nearCacheEntries);
			this.tracking = new InvalidationTracking(client, this.nearCache, nearCachePingInterval, timeout);
		}
		else {
			throw new CacheConfigurationException("A near cache (celeriac.cache.regions."
					+ nearCacheEntries.keySet().iterator().next()
					+ ".near-cache.enabled) needs a standalone or Sentinel Redis and a started connection factory");
		}
	}

	@Override
	public CacheLookup lookup(CacheEntryKey key, Duration expires, String lockToken, Duration lockExpires,
			boolean statistics) {
		CacheKeys.RegionKeys region = this.keys.region(key.region());
		CacheKeys.FunctionKeys function = region.function(key.namespace());
		String entry = region.prefix() + "entry:" + key.namespace() + ":" + key.arguments();
		ClockOffset clock = this.clock;
		long local = System.currentTimeMillis();
		boolean clockTrusted = clock != null && local - clock.seenAt() < CLOCK_TRUSTED_MILLIS;
		long now = clockTrusted ? local + clock.offset() : 0;
		NearCache nearCache = this.nearCache;
		long generation = NearCache.NOT_TRACKED;
		if (nearCache != null && nearCache.keeps(key.region())) {
			NearCache.Entry copy = clockTrusted ? nearCache.get(key.region(), entry) : null;
			if (copy != null && now - copy.createdAt() < expires.toMillis()) {
				if (statistics) {
					this.hits.count(function.hits());
					this.hits.count(function.nearHits());
				}
				return new CacheLookup(CacheLookup.Outcome.FRESH, copy.value(), now, true);
			}
			// taken before Redis is read: a change reported meanwhile keeps the copy out
			generation = nearCache.generation(key.region());
		}
		byte[] entryBytes = bytes(entry);
		if (clockTrusted) {
			HitReply reply = new HitReply(this.calls
				.run((commands) -> commands.mget(entryBytes, region.invalidated(), function.invalidated())));
			NearCache.Entry hit = reply.freshEntry(expires, now, key.namespace());
			if (hit != null) {
				if (statistics) {
					this.hits.count(function.hits());
				}
				if (nearCache != null) {
					nearCache.add(key.region(), entry, hit, generation);
				}
				return new CacheLookup(CacheLookup.Outcome.FRESH, hit.value(), now);
			}
		}
		CacheLookup lookup = this.scripts.lookup(new byte[][] { entryBytes, region.invalidated(),
				bytes(this.keys.lock(key)), region.statistics(), function.invalidated() }, key.namespace(), expires,
				lockToken, lockExpires, statistics);
		long seenAt = System.currentTimeMillis();
		this.clock = new ClockOffset(lookup.startedAt() - seenAt, seenAt);
		return lookup;
	}

	@Override
	public void store(CacheEntryKey key, String value, long createdAt, Duration storeExpiration, String lockToken) {
		String entry = entryKey(key);
		try {
			this.scripts.store(entry, this.keys.lock(key), value, createdAt, storeExpiration, lockToken);
		}
		finally {
			// this process never reads its own write's predecessor, whenever Redis
			// reports it
			if (this.nearCache != null) {
				this.nearCache.dropEntry(key.region(), entry);
			}
		}
	}

	@Override
	public void release(CacheEntryKey key, String lockToken) {
		this.scripts.release(this.keys.lock(key), lockToken);
	}

	@Override
	public void invalidateRegion(String region) {
		try {
			this.scripts.invalidate(regionKey(region) + "invalidated");
		}
		finally {
			if (this.nearCache != null) {
				this.nearCache.dropRegion(region);
			}
		}
	}

	@Override
	public void invalidateFunction(String region, String namespace) {
		try {
			this.scripts.invalidate(regionKey(region) + "invalidated:" + namespace);
		}
		finally {
			if (this.nearCache != null) {
				this.nearCache.dropFunction(region, namespace);
			}
		}
	}

	@Override
	public void invalidateEntry(CacheEntryKey key) {
		String entry = entryKey(key);
		try {
			this.calls.run((commands) -> commands.del(bytes(entry)));
		}
		finally {
			if (this.nearCache != null) {
				this.nearCache.dropEntry(key.region(), entry);
			}
		}
	}

	@Override
	public List<CacheStatistics> statistics(String region) {
		this.hits.flush();
		Map<byte[], byte[]> counters = this.calls
			.run((commands) -> commands.hgetall(bytes(regionKey(region) + "statistics")));
		Map<String, long[]> byNamespace = new TreeMap<>();
		counters.forEach((field, count) -> {
			String name = string(field);
			int colon = name.indexOf(':');
			int index = switch (name.substring(0, Math.max(colon, 0))) {
				case "hits" -> 0;
				case "misses" -> 1;
				case "stale" -> 2;
				case "nearHits" -> 3;
				default -> -1;
			};
			if (index >= 0) {
				byNamespace.computeIfAbsent(name.substring(colon + 1), (ignored) -> new long[4])[index] = Long
					.parseLong(string(count));
			}
		});
		List<CacheStatistics> statistics = new ArrayList<>();
		byNamespace.forEach((namespace, counts) -> statistics
			.add(new CacheStatistics(region, namespace, counts[0], counts[1], counts[2], counts[3])));
		statistics.sort(Comparator.comparing(CacheStatistics::namespace));
		return statistics;
	}

	/**
	 * Returns the near cache, or {@code null} when no region keeps one.
	 * @return the near cache
	 */
	@Nullable NearCache nearCache() {
		return this.nearCache;
	}

	/**
	 * Adds the hits counted in this process to the statistics in Redis, then stops
	 * counting in the background and closes the near cache's connection.
	 */
	@Override
	public void close() {
		if (this.tracking != null) {
			this.tracking.close();
		}
		this.hits.close();
	}

	private void addHits(HitCounts.Counter counter, long count) {
		this.calls.run((commands) -> commands.hincrby(bytes(counter.key()), bytes(counter.field()), count));
	}

	/**
	 * Returns the Redis key of an entry.
	 * @param key the entry
	 * @return its key, e.g. {@code celeriac:cache:{short_term}:entry:squares:[7]}
	 */
	public String entryKey(CacheEntryKey key) {
		return this.keys.entry(key);
	}

	private String regionKey(String region) {
		return this.keys.region(region).prefix();
	}

	/**
	 * The server's clock minus this process's, and when this process saw it.
	 */
	private record ClockOffset(long offset, long seenAt) {

	}

}

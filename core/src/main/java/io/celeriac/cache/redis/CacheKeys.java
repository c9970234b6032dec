package io.celeriac.cache.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.cache.CacheEntryKey;

import static io.celeriac.cache.redis.Utf8.bytes;

/**
 * The Redis keys of the {@link RedisCacheStore}, each region's carrying the region as
 * hash tag so that they share one Redis Cluster slot. The keys of each region and
 * function seen are built once, since a hit needs them all.
 *
 * @author Celeriac team
 */
final class CacheKeys {

	private final String keyPrefix;

	private final Map<String, RegionKeys> regions = new ConcurrentHashMap<>();

	/**
	 * Creates the keys.
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 */
	CacheKeys(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	/**
	 * Returns the key of an entry.
	 * @param key the entry
	 * @return its key, e.g. {@code celeriac:cache:{short_term}:entry:squares:[7]}
	 */
	String entry(CacheEntryKey key) {
		return region(key.region()).prefix() + "entry:" + key.namespace() + ":" + key.arguments();
	}

	/**
	 * Returns the key of an entry's write lock.
	 * @param key the entry
	 * @return its lock's key, e.g. {@code celeriac:cache:{short_term}:lock:squares:[7]}
	 */
	String lock(CacheEntryKey key) {
		return region(key.region()).prefix() + "lock:" + key.namespace() + ":" + key.arguments();
	}

	/**
	 * Returns the keys of a region.
	 * @param region the region
	 * @return its keys
	 */
	RegionKeys region(String region) {
		RegionKeys keys = this.regions.get(region);
		if (keys == null) {
			keys = this.regions.computeIfAbsent(region,
					(name) -> new RegionKeys(this.keyPrefix + "cache:{" + name + "}:"));
		}
		return keys;
	}

	/**
	 * The keys of one region, built once.
	 *
	 * @param prefix the prefix of its keys, e.g. {@code celeriac:cache:{short_term}:}
	 * @param invalidated the key of its invalidation time
	 * @param statistics the key of its statistics hash
	 * @param functions the keys of each function seen so far
	 */
	record RegionKeys(String prefix, byte[] invalidated, byte[] statistics, Map<String, FunctionKeys> functions) {

		RegionKeys(String prefix) {
			this(prefix, bytes(prefix + "invalidated"), bytes(prefix + "statistics"), new ConcurrentHashMap<>());
		}

		FunctionKeys function(String namespace) {
			FunctionKeys keys = this.functions.get(namespace);
			if (keys == null) {
				String statisticsKey = this.prefix + "statistics";
				keys = this.functions.computeIfAbsent(namespace,
						(name) -> new FunctionKeys(bytes(this.prefix + "invalidated:" + name),
								new HitCounts.Counter(statisticsKey, "hits:" + name),
								new HitCounts.Counter(statisticsKey, "nearHits:" + name)));
			}
			return keys;
		}

	}

	/**
	 * The keys of one function of a region, built once.
	 *
	 * @param invalidated the key of its invalidation time
	 * @param hits its hits counter
	 * @param nearHits its near hits counter
	 */
	record FunctionKeys(byte[] invalidated, HitCounts.Counter hits, HitCounts.Counter nearHits) {

	}

}

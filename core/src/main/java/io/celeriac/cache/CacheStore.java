package io.celeriac.cache;

import java.time.Duration;
import java.util.List;

/**
 * Where cache region entries, write locks, invalidation times and statistics are kept.
 * The Redis implementation shares them between processes; the in-memory one keeps them in
 * one JVM. Values are opaque JSON strings.
 * <p>
 * A lookup is atomic: it reads the entry, decides whether it is fresh, expired or absent
 * (an entry created at or before its region's or function's invalidation time counts as
 * absent), and, if it is not fresh, tries to take the entry's write lock, all in one
 * step. Implementations throw {@link CacheStoreException} when they cannot answer.
 *
 * @author Celeriac team
 */
public interface CacheStore {

	/**
	 * Looks an entry up, takes its write lock when it needs computing and nobody holds
	 * the lock, and counts the outcome when asked to.
	 * @param key the entry
	 * @param expires how long after its creation the entry is fresh
	 * @param lockToken a token unique to this caller, to own the lock with
	 * @param lockExpires how long the lock lives unless released
	 * @param statistics whether to count a hit, miss or stale serve
	 * @return the outcome
	 */
	CacheLookup lookup(CacheEntryKey key, Duration expires, String lockToken, Duration lockExpires, boolean statistics);

	/**
	 * Stores a value and releases the entry's write lock if {@code lockToken} owns it.
	 * @param key the entry
	 * @param value the JSON value
	 * @param createdAt when the computation started, from {@link CacheLookup#startedAt()}
	 * @param storeExpiration how long the store keeps the entry
	 * @param lockToken the token the lock was taken with
	 */
	void store(CacheEntryKey key, String value, long createdAt, Duration storeExpiration, String lockToken);

	/**
	 * Releases the entry's write lock if {@code lockToken} owns it, leaving the entry as
	 * it is (used when computing the value failed).
	 * @param key the entry
	 * @param lockToken the token the lock was taken with
	 */
	void release(CacheEntryKey key, String lockToken);

	/**
	 * Invalidates every entry of a region, in constant time.
	 * @param region the region
	 */
	void invalidateRegion(String region);

	/**
	 * Invalidates every entry of a namespace, in constant time.
	 * @param region the region
	 * @param namespace the namespace
	 */
	void invalidateFunction(String region, String namespace);

	/**
	 * Removes one entry.
	 * @param key the entry
	 */
	void invalidateEntry(CacheEntryKey key);

	/**
	 * Returns the statistics of every namespace counted in a region.
	 * @param region the region
	 * @return the statistics, one per namespace, sorted by namespace
	 */
	List<CacheStatistics> statistics(String region);

}

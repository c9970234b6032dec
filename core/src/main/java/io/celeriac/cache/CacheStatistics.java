package io.celeriac.cache;

/**
 * How often the entries of one namespace in one region were served fresh, computed, or
 * served stale while another caller regenerated them.
 *
 * @param region the region's name
 * @param namespace the namespace
 * @param hits how many calls were answered from the cache with a value that had not
 * expired
 * @param misses how many calls computed the value (cold, invalidated or expired)
 * @param staleServes how many calls got an expired value because another caller was
 * regenerating it
 * @param nearHits how many of the hits were answered from a near cache, in the memory of
 * the process, without asking the store
 * @author Celeriac team
 */
public record CacheStatistics(String region, String namespace, long hits, long misses, long staleServes,
		long nearHits) {

	/**
	 * Creates statistics of a namespace no near cache answered.
	 * @param region the region's name
	 * @param namespace the namespace
	 * @param hits how many calls were answered with a fresh value
	 * @param misses how many calls computed the value
	 * @param staleServes how many calls got an expired value
	 */
	public CacheStatistics(String region, String namespace, long hits, long misses, long staleServes) {
		this(region, namespace, hits, misses, staleServes, 0);
	}

}

package io.celeriac.cache;

/**
 * Receives what {@link CacheRegions} does with each call, for metrics. The Micrometer
 * implementation is {@code io.celeriac.cache.micrometer.MicrometerCacheMetrics}.
 *
 * @author Celeriac team
 */
public interface CacheMetrics {

	/**
	 * Records how a cached call was answered (only when statistics are on).
	 * @param region the region
	 * @param namespace the namespace
	 * @param result hit (from the store or the near cache), miss or stale serve
	 */
	void served(String region, String namespace, Result result);

	/**
	 * Records a call that ran uncached because the store failed, was too slow, or was
	 * being left alone after a failure (always recorded).
	 * @param region the region
	 * @param namespace the namespace
	 * @param reason why the call ran uncached
	 */
	void uncached(String region, String namespace, Uncached reason);

	/**
	 * Returns metrics that record nothing.
	 * @return metrics that do nothing
	 */
	static CacheMetrics none() {
		return new CacheMetrics() {

			@Override
			public void served(String region, String namespace, Result result) {
			}

			@Override
			public void uncached(String region, String namespace, Uncached reason) {
			}

		};
	}

	/**
	 * How a cached call was answered.
	 */
	enum Result {

		/**
		 * From a fresh entry in the store.
		 */
		HIT,

		/**
		 * From a fresh entry in the near cache, in this process's memory: a hit that did
		 * not ask the store.
		 */
		NEAR_HIT,

		/**
		 * By computing the value.
		 */
		MISS,

		/**
		 * From an expired entry while another caller regenerated it.
		 */
		STALE

	}

	/**
	 * Why a call ran uncached.
	 */
	enum Uncached {

		/**
		 * The store failed or did not answer in time.
		 */
		FAILURE,

		/**
		 * The store failed recently and is being left alone for a while.
		 */
		BACKOFF

	}

}

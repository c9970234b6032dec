package io.celeriac.cache;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link CacheStore} as {@link CacheRegions} calls it: a call that fails or is too
 * slow is logged and recorded in {@link CacheMetrics}, and the store is then left alone
 * for {@link CacheSettings#failureBackoff()}, so that methods run uncached at once
 * instead of each waiting on a store that is down.
 *
 * @author Celeriac team
 */
final class FailSafeCacheStore {

	private static final Log logger = LogFactory.getLog(CacheRegions.class);

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private final CacheStore store;

	private final CacheSettings settings;

	private final CacheMetrics metrics;

	private final Clock clock;

	private volatile long retryAt;

	FailSafeCacheStore(CacheStore store, CacheSettings settings, CacheMetrics metrics, Clock clock) {
		this.store = store;
		this.settings = settings;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * Returns whether the store is being left alone after a failure.
	 * @param key the entry a call is about
	 * @param record whether to record the call as run uncached
	 * @return whether to leave the store alone
	 */
	boolean backingOff(CacheEntryKey key, boolean record) {
		if (this.clock.millis() >= this.retryAt) {
			return false;
		}
		if (record) {
			this.metrics.uncached(key.region(), key.namespace(), CacheMetrics.Uncached.BACKOFF);
		}
		return true;
	}

	/**
	 * Looks an entry up.
	 * @param key the entry
	 * @param region the region's settings
	 * @param token the caller's lock token
	 * @param statistics whether to count the outcome
	 * @return the outcome, or {@code null} when the store failed
	 */
	@Nullable CacheLookup lookup(CacheEntryKey key, CacheRegionSettings region, String token, boolean statistics) {
		try {
			return this.store.lookup(key, region.expires(), token, this.settings.lockExpires(), statistics);
		}
		catch (RuntimeException ex) {
			failed(key, "look up", ex);
			return null;
		}
	}

	void store(CacheEntryKey key, String json, long createdAt, CacheRegionSettings region, String token) {
		try {
			this.store.store(key, json, createdAt, region.storeExpiration(), token);
		}
		catch (RuntimeException ex) {
			failed(key, "store", ex);
		}
	}

	void release(CacheEntryKey key, String token) {
		try {
			this.store.release(key, token);
		}
		catch (RuntimeException ex) {
			failed(key, "release the write lock of", ex);
		}
	}

	private void failed(CacheEntryKey key, String action, RuntimeException ex) {
		this.metrics.uncached(key.region(), key.namespace(), CacheMetrics.Uncached.FAILURE);
		this.retryAt = this.clock.millis() + this.settings.failureBackoff().toMillis();
		logger.warn("Could not " + action + " " + key + " in the cache store, running uncached for the next "
				+ this.settings.failureBackoff() + ": " + ex.getMessage());
	}

	/**
	 * Returns a token unique enough to own a write lock: 128 random bits in hex. Unlike
	 * {@code UUID.randomUUID()}, no shared {@code SecureRandom}; one allocation.
	 * @return the token
	 */
	static String token() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		char[] token = new char[32];
		long bits = random.nextLong();
		for (int i = 0; i < 16; i++) {
			token[i] = HEX[(int) (bits >>> (i * 4)) & 0xf];
		}
		bits = random.nextLong();
		for (int i = 0; i < 16; i++) {
			token[16 + i] = HEX[(int) (bits >>> (i * 4)) & 0xf];
		}
		return new String(token);
	}

}

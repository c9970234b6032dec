package io.celeriac.cache;

import java.time.Duration;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * How {@link CacheRegions} behaves: its regions, whether it caches and counts at all, and
 * how long callers wait on each other.
 *
 * @param enabled whether results are cached; when {@code false} every call runs the
 * method
 * @param statistics whether hits, misses and stale serves are counted
 * @param coldMissWait how long a caller waits for another caller that is computing a
 * missing entry before it computes the value itself
 * @param lockExpires how long the write lock of a caller that computes an entry lives, so
 * that a caller that dies does not block the entry
 * @param failureBackoff how long the store is left alone after it failed or was too slow;
 * meanwhile methods run uncached at once
 * @param regions the regions by name
 * @author Celeriac team
 */
public record CacheSettings(boolean enabled, boolean statistics, Duration coldMissWait, Duration lockExpires,
		Duration failureBackoff, Map<String, CacheRegionSettings> regions) {

	public CacheSettings {
		Assert.isTrue(!coldMissWait.isNegative(), "The cold miss wait must not be negative");
		Assert.isTrue((!lockExpires.isNegative() && !lockExpires.isZero()), "The cache lock expiry must be positive");
		Assert.isTrue(!failureBackoff.isNegative(), "The cache failure backoff must not be negative");
		regions.keySet().forEach(CacheEntryKey::checkRegion);
		regions = Map.copyOf(regions);
	}

	/**
	 * Creates settings with the defaults: enabled, counting, waiting up to 5 seconds on a
	 * cold miss, locks living 30 seconds, and a 1 second backoff after a store failure.
	 * @param regions the regions by name
	 * @return the settings
	 */
	public static CacheSettings of(Map<String, CacheRegionSettings> regions) {
		return new CacheSettings(true, true, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1),
				regions);
	}

	/**
	 * Returns a copy with statistics turned on or off.
	 * @param statistics whether to count
	 * @return the new settings
	 */
	public CacheSettings withStatistics(boolean statistics) {
		return new CacheSettings(this.enabled, statistics, this.coldMissWait, this.lockExpires, this.failureBackoff,
				this.regions);
	}

	/**
	 * Returns a copy with caching turned on or off.
	 * @param enabled whether to cache
	 * @return the new settings
	 */
	public CacheSettings withEnabled(boolean enabled) {
		return new CacheSettings(enabled, this.statistics, this.coldMissWait, this.lockExpires, this.failureBackoff,
				this.regions);
	}

	/**
	 * Returns a copy with other waiting times.
	 * @param coldMissWait how long to wait for another caller's value
	 * @param lockExpires how long a write lock lives
	 * @return the new settings
	 */
	public CacheSettings withWaits(Duration coldMissWait, Duration lockExpires) {
		return new CacheSettings(this.enabled, this.statistics, coldMissWait, lockExpires, this.failureBackoff,
				this.regions);
	}

	/**
	 * Returns a copy with another backoff after store failures.
	 * @param failureBackoff how long to leave the store alone
	 * @return the new settings
	 */
	public CacheSettings withFailureBackoff(Duration failureBackoff) {
		return new CacheSettings(this.enabled, this.statistics, this.coldMissWait, this.lockExpires, failureBackoff,
				this.regions);
	}

}

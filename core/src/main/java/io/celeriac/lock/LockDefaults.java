package io.celeriac.lock;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * What {@link Locked @Locked} methods use when they do not say otherwise.
 *
 * @param expires how long a lock lasts unless released first
 * @param timeout how long a caller waits for a lock
 * @param watchdog whether locks are kept alive while the method runs
 * @author Celeriac team
 */
public record LockDefaults(Duration expires, Duration timeout, boolean watchdog) {

	public LockDefaults {
		Assert.isTrue(expires != null && expires.toMillis() >= 1,
				() -> "Default lock expiry must be at least one millisecond, was " + expires);
		Assert.isTrue(timeout != null && !timeout.isNegative(),
				() -> "Default lock timeout must not be negative, was " + timeout);
	}

}

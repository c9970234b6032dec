package io.celeriac.lock;

import java.time.Duration;

/**
 * What one attempt to take a lock in a store found, as backends report it to
 * {@link AbstractDistributedLock}.
 *
 * @param acquired whether the lock was taken
 * @param fencingToken the fencing token of the new acquisition; 0 when not taken
 * @param retryWithin when not taken: the time left until the current holder's lock
 * expires, after which another attempt can succeed even if no release is announced;
 * {@link Duration#ZERO} when unknown
 * @author Celeriac team
 */
public record LockAttempt(boolean acquired, long fencingToken, Duration retryWithin) {

	/**
	 * Returns an attempt that took the lock.
	 * @param fencingToken the new acquisition's fencing token
	 * @return the attempt
	 */
	public static LockAttempt taken(long fencingToken) {
		return new LockAttempt(true, fencingToken, Duration.ZERO);
	}

	/**
	 * Returns an attempt that found the lock held.
	 * @param retryWithin the time left until the holder's lock expires
	 * @return the attempt
	 */
	public static LockAttempt held(Duration retryWithin) {
		return new LockAttempt(false, 0, retryWithin);
	}

}

package io.celeriac.lock;

import java.time.Duration;
import java.util.Optional;

/**
 * A lock shared by every process that uses the same store, named by a key. Each
 * acquisition gets a unique owner token, so only its holder can release or extend it, and
 * a {@link HeldLock#fencingToken() fencing token} that grows with every acquisition of
 * the key. A lock expires on its own after {@code expires}, so a holder that dies never
 * blocks the key for longer than that. Locks are not reentrant: a holder that asks again
 * for a key it holds waits like anybody else.
 *
 * <pre class="code">
 * try (HeldLock held = locks.acquire("report:42", Duration.ofSeconds(30), Duration.ofSeconds(5))) {
 *     // only one process at a time runs this
 * }
 * </pre>
 *
 * @author Celeriac team
 */
public interface DistributedLock {

	/**
	 * Takes the lock if nobody holds it, without waiting.
	 * @param key the lock's name; not empty
	 * @param expires how long the lock lasts unless released or extended first
	 * @return the held lock, or empty if somebody else holds it
	 * @throws LockUnavailableException if the lock store cannot be reached
	 */
	Optional<HeldLock> tryAcquire(String key, Duration expires);

	/**
	 * Takes the lock, waiting up to {@code timeout} for its holder to release it or for
	 * its expiry. Waiters are woken as soon as the lock is released.
	 * @param key the lock's name; not empty
	 * @param expires how long the lock lasts unless released or extended first
	 * @param timeout how long to wait; zero means a single attempt
	 * @return the held lock
	 * @throws LockTimeoutException if the lock was not free within the timeout
	 * @throws LockUnavailableException if the lock store cannot be reached
	 */
	HeldLock acquire(String key, Duration expires, Duration timeout);

	/**
	 * Returns whether anybody holds the lock now. The answer may be stale by the time it
	 * arrives; use it for monitoring, never to decide whether to take the lock.
	 * @param key the lock's name
	 * @return whether the lock is held
	 * @throws LockUnavailableException if the lock store cannot be reached
	 */
	boolean isLocked(String key);

}

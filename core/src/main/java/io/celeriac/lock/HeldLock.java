package io.celeriac.lock;

import java.time.Duration;

/**
 * One acquisition of a {@link DistributedLock}: release it by closing it, typically in a
 * try-with-resources block. Only this handle can release or extend its acquisition, even
 * after the lock expired and somebody else took it.
 *
 * @author Celeriac team
 */
public interface HeldLock extends AutoCloseable {

	/**
	 * Returns the lock's name.
	 * @return the key
	 */
	String key();

	/**
	 * Returns the fencing token of this acquisition: a number that is greater than that
	 * of every earlier acquisition of the same key. Pass it to the resource the lock
	 * guards, which remembers the greatest token it has seen and rejects writes that
	 * carry a smaller one, so a holder whose lock expired while it was paused cannot
	 * overwrite the work of the next holder.
	 * @return the fencing token
	 */
	long fencingToken();

	/**
	 * Makes the lock last {@code expires} from now, if this acquisition still holds it.
	 * @param expires the new time to live
	 * @return whether the lock was still held and is now extended
	 * @throws LockUnavailableException if the lock store cannot be reached
	 */
	boolean extend(Duration expires);

	/**
	 * Starts a watchdog that extends the lock by its original {@code expires} every third
	 * of it, for as long as this acquisition holds it and this process lives. Use it for
	 * work that may outlast {@code expires}; if the process dies, the lock still expires.
	 * The watchdog stops when the lock is released or an extension finds it lost.
	 * @return this handle
	 */
	HeldLock keepAlive();

	/**
	 * Asks the store whether this acquisition still holds the lock.
	 * @return whether the lock is still held by this acquisition
	 * @throws LockUnavailableException if the lock store cannot be reached
	 */
	boolean isHeld();

	/**
	 * Releases the lock if this acquisition still holds it, and wakes its waiters.
	 * Releasing twice does nothing the second time.
	 * @return whether the lock was still held by this acquisition and is now released
	 * @throws LockUnavailableException if the lock store cannot be reached
	 */
	boolean release();

	/**
	 * Releases the lock, as {@link #release()} does.
	 */
	@Override
	default void close() {
		release();
	}

}

package io.celeriac.limit;

/**
 * A place in a {@link Limiter}, held until closed or expired. Closing it frees the place
 * only if this permit still holds it, so a permit that expired cannot free the place of
 * the next holder with the same key.
 *
 * @author Celeriac team
 */
public interface Permit extends AutoCloseable {

	/**
	 * Returns the name of the limiter this permit belongs to.
	 * @return the limiter's name
	 */
	String limiter();

	/**
	 * Returns the holder's name.
	 * @return the key
	 */
	String key();

	/**
	 * Frees the place if this permit still holds it, and wakes the limiter's waiters.
	 * @return whether the place was still held and is now free
	 * @throws LimiterUnavailableException if the store cannot be reached
	 */
	boolean release();

	/**
	 * Frees the place, as {@link #release()} does.
	 */
	@Override
	default void close() {
		release();
	}

}

package io.celeriac.limit;

import java.time.Duration;
import java.util.Optional;

/**
 * At most {@link #limit()} holders at once, across every process that uses the same
 * store: the retools limiter. A holder is named by a key (e.g. {@code "crawl:42"}), holds
 * at most one place, and loses it after {@link #expires()} unless it releases it first,
 * so a process that dies frees its places. Expired holders are pruned whenever somebody
 * tries to acquire.
 *
 * <pre class="code">
 * try (Permit permit = limiter.acquire("crawl:" + url, Duration.ofSeconds(5))) {
 *     // at most limit() of these run at once
 * }
 * </pre>
 *
 * @author Celeriac team
 */
public interface Limiter {

	/**
	 * Returns the limiter's name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns how many holders may hold a place at once.
	 * @return the limit
	 */
	int limit();

	/**
	 * Returns how long a place lasts unless released first.
	 * @return the expiry
	 */
	Duration expires();

	/**
	 * Takes a place for a holder if one is free, without waiting.
	 * @param key the holder's name; not empty
	 * @return the permit, or empty if every place is taken or the key already holds one
	 * @throws LimiterUnavailableException if the store cannot be reached
	 */
	Optional<Permit> tryAcquire(String key);

	/**
	 * Takes a place for a holder, waiting up to {@code timeout} for one to be released or
	 * to expire. Waiters are woken as soon as a place is released.
	 * @param key the holder's name; not empty
	 * @param timeout how long to wait; zero means a single attempt
	 * @return the permit
	 * @throws PermitTimeoutException if no place was free within the timeout
	 * @throws LimiterUnavailableException if the store cannot be reached
	 */
	Permit acquire(String key, Duration timeout);

	/**
	 * Frees the place a holder holds, whoever acquired it.
	 * @param key the holder's name
	 * @return whether the key held a place
	 * @throws LimiterUnavailableException if the store cannot be reached
	 */
	boolean release(String key);

	/**
	 * Returns how many holders hold a place now, not counting expired ones.
	 * @return the number of holders
	 * @throws LimiterUnavailableException if the store cannot be reached
	 */
	int holders();

}

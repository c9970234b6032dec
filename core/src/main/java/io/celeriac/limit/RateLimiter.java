package io.celeriac.limit;

import java.time.Duration;

/**
 * At most {@link #limit()} acquisitions per {@link #period()} for each key, across every
 * process that uses the same store, by the generic cell rate algorithm (GCRA): requests
 * are spread one every {@code period / limit}, with bursts of up to {@code limit}. This
 * is Celery's {@code rate_limit} ({@code "10/m"} is a limit of 10 per minute). The store
 * keeps one timestamp per key and uses its own clock, so processes need no clock
 * agreement.
 *
 * @author Celeriac team
 */
public interface RateLimiter {

	/**
	 * Returns the rate limiter's name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns how many acquisitions each key may make per period.
	 * @return the limit
	 */
	int limit();

	/**
	 * Returns the period.
	 * @return the period
	 */
	Duration period();

	/**
	 * Counts one acquisition for a key if the rate allows it now.
	 * @param key what is rate limited, e.g. a task name or a customer; not empty
	 * @return whether it was allowed, and if not when to try again
	 * @throws LimiterUnavailableException if the store cannot be reached
	 */
	RateDecision tryAcquire(String key);

	/**
	 * Counts one acquisition for a key, waiting until the rate allows it. Fails at once
	 * if that would take longer than {@code timeout}.
	 * @param key what is rate limited; not empty
	 * @param timeout how long to wait at most
	 * @throws PermitTimeoutException if the rate does not allow it within the timeout
	 * @throws LimiterUnavailableException if the store cannot be reached
	 */
	void acquire(String key, Duration timeout);

	/**
	 * Reserves the next acquisition the rate allows for a key and returns how long until
	 * it is due: zero when the rate allows it now. Unlike {@link #tryAcquire(String)} it
	 * never refuses, it counts the acquisition at once, so whoever waits for it keeps its
	 * place in line and does not compete again when the time comes (a task parked until
	 * its turn, for example). Reservations and other acquisitions share the same rate.
	 * @param key what is rate limited; not empty
	 * @return how long until the reserved acquisition is due
	 * @throws LimiterUnavailableException if the store cannot be reached
	 */
	Duration reserve(String key);

}

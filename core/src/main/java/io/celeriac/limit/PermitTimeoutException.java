package io.celeriac.limit;

import java.time.Duration;

/**
 * Thrown when a limiter or rate limiter had no place free within the time a caller was
 * willing to wait.
 *
 * @author Celeriac team
 */
public class PermitTimeoutException extends RuntimeException {

	private final String limiter;

	private final String key;

	/**
	 * Creates an exception for a limiter that stayed full.
	 * @param limiter the limiter's name
	 * @param key the holder's name
	 * @param timeout how long the caller was willing to wait
	 */
	public PermitTimeoutException(String limiter, String key, Duration timeout) {
		super("Limiter '" + limiter + "' had no place for '" + key + "' within " + timeout);
		this.limiter = limiter;
		this.key = key;
	}

	/**
	 * Returns the limiter's name.
	 * @return the name
	 */
	public String getLimiter() {
		return this.limiter;
	}

	/**
	 * Returns the holder's name.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

}

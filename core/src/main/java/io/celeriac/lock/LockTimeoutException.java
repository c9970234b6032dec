package io.celeriac.lock;

import java.time.Duration;

/**
 * Thrown when a lock was not free within the time a caller was willing to wait.
 *
 * @author Celeriac team
 */
public class LockTimeoutException extends RuntimeException {

	private final String key;

	private final Duration timeout;

	/**
	 * Creates an exception for a lock that stayed held.
	 * @param key the lock's name
	 * @param timeout how long the caller waited
	 */
	public LockTimeoutException(String key, Duration timeout) {
		super("Lock '" + key + "' was still held by another owner after waiting " + timeout);
		this.key = key;
		this.timeout = timeout;
	}

	/**
	 * Returns the lock's name.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

	/**
	 * Returns how long the caller waited.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

}

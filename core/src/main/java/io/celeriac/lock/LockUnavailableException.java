package io.celeriac.lock;

/**
 * Thrown when the lock store cannot be reached, for example while Redis is down or
 * restarting. Nothing is known about the lock then: treat it as not held.
 *
 * @author Celeriac team
 */
public class LockUnavailableException extends RuntimeException {

	/**
	 * Creates an exception for a store that could not be reached.
	 * @param message what was being done, with the lock's name
	 * @param cause the store client's exception
	 */
	public LockUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}

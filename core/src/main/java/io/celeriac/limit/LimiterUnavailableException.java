package io.celeriac.limit;

/**
 * Thrown when a limiter's store cannot be reached, for example while Redis is down or
 * restarting.
 *
 * @author Celeriac team
 */
public class LimiterUnavailableException extends RuntimeException {

	/**
	 * Creates an exception for a store that could not be reached.
	 * @param message what was being done, with the limiter's name
	 * @param cause the store client's exception
	 */
	public LimiterUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}

package io.celeriac.processing;

/**
 * Thrown when a delegated request's callback has not finished within the time a caller
 * waits for it.
 *
 * @author Celeriac team
 */
public class OperationTimeoutException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what was awaited
	 */
	public OperationTimeoutException(String message) {
		super(message);
	}

}

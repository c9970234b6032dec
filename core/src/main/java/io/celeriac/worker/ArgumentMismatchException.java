package io.celeriac.worker;

/**
 * Thrown when a message's arguments do not fit the task method's parameters.
 *
 * @author Celeriac team
 */
public class ArgumentMismatchException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what does not fit
	 * @param cause the conversion failure, if any
	 */
	public ArgumentMismatchException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Creates an exception.
	 * @param message what does not fit
	 */
	public ArgumentMismatchException(String message) {
		super(message);
	}

}

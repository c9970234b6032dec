package io.celeriac.broker;

/**
 * Thrown (or completes a publish future) when the broker refused a message or did not
 * confirm it in time. The message may or may not have been routed.
 *
 * @author Celeriac team
 */
public class PublishFailedException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what happened
	 */
	public PublishFailedException(String message) {
		super(message);
	}

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param cause the cause
	 */
	public PublishFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}

package io.celeriac.task;

/**
 * Thrown when the broker did not confirm a task message: it was refused, or no
 * confirmation came in time. The task may not have been sent.
 *
 * @author Celeriac team
 */
public class TaskPublishException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param cause the cause, if any
	 */
	public TaskPublishException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Creates an exception.
	 * @param message what happened
	 */
	public TaskPublishException(String message) {
		super(message);
	}

}

package io.celeriac.protocol;

/**
 * Thrown when a message cannot be read as a Celery protocol v2 task message.
 *
 * @author Celeriac team
 */
public class InvalidTaskMessageException extends RuntimeException {

	private final ErrorKind kind;

	/**
	 * Creates an exception of the given kind.
	 * @param kind what is wrong
	 * @param message a sentence saying what is wrong
	 */
	public InvalidTaskMessageException(ErrorKind kind, String message) {
		super(message);
		this.kind = kind;
	}

	/**
	 * Creates an exception of the given kind with its cause.
	 * @param kind what is wrong
	 * @param message a sentence saying what is wrong
	 * @param cause the cause
	 */
	public InvalidTaskMessageException(ErrorKind kind, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
	}

	/**
	 * Returns what is wrong with the message.
	 * @return the kind
	 */
	public ErrorKind getKind() {
		return this.kind;
	}

}

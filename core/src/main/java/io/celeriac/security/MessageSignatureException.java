package io.celeriac.security;

/**
 * Thrown when a message must not be run because of its signature: it has none, its signer
 * is not trusted, or it does not match the body.
 *
 * @author Celeriac team
 */
public class MessageSignatureException extends RuntimeException {

	private final Reason reason;

	/**
	 * Creates an exception.
	 * @param reason what is wrong
	 * @param message a sentence saying what is wrong and what to change
	 */
	public MessageSignatureException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Creates an exception with its cause.
	 * @param reason what is wrong
	 * @param message a sentence saying what is wrong and what to change
	 * @param cause the cause
	 */
	public MessageSignatureException(Reason reason, String message, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/**
	 * Returns what is wrong with the message.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * What is wrong with a message's signature.
	 */
	public enum Reason {

		/**
		 * The message is not signed.
		 */
		UNSIGNED,

		/**
		 * The message names a signer whose certificate is not trusted.
		 */
		UNKNOWN_SIGNER,

		/**
		 * The signature does not match the body, or the signed envelope is malformed.
		 */
		INVALID_SIGNATURE

	}

}

package io.celeriac.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Thrown (or completes a publish future) when the broker did not confirm a message within
 * the caller's timeout. The message may still be written and confirmed later:
 * {@link #confirmation()} completes when the broker's answer comes, so that a caller that
 * would publish the message again waits for it instead of sending a second copy.
 *
 * @author Celeriac team
 */
public class PublishTimeoutException extends PublishFailedException {

	private final transient CompletableFuture<Void> confirmation;

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param confirmation completes once the broker confirms the message, or
	 * exceptionally once it refuses it, it was not written or its channel closed; it has
	 * no timeout of its own
	 */
	public PublishTimeoutException(String message, CompletableFuture<Void> confirmation) {
		super(message);
		this.confirmation = confirmation;
	}

	/**
	 * Creates an exception that keeps the confirmation of another.
	 * @param message what happened
	 * @param cause the timeout whose confirmation is kept
	 */
	public PublishTimeoutException(String message, PublishTimeoutException cause) {
		super(message, cause);
		this.confirmation = cause.confirmation;
	}

	/**
	 * Returns the broker's answer for the message, however late it comes.
	 * @return a future completed when the broker confirms the message, or exceptionally
	 * when it refuses it, the message was not written, or its channel closed before the
	 * confirm (the message may have been routed all the same)
	 */
	public CompletableFuture<Void> confirmation() {
		return this.confirmation;
	}

}

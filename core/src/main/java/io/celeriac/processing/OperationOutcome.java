package io.celeriac.processing;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What {@link CachedOperations#getOrDelegate} answered: the result at once (a hit, no
 * callback runs), or the id of the processing the request was delegated to, whose
 * callback will receive the request's callback arguments.
 *
 * @author Celeriac team
 */
public final class OperationOutcome {

	private final @Nullable JsonNode result;

	private final @Nullable String processingId;

	private final @Nullable CachedOperations operations;

	private OperationOutcome(@Nullable JsonNode result, @Nullable String processingId,
			@Nullable CachedOperations operations) {
		this.result = result;
		this.processingId = processingId;
		this.operations = operations;
	}

	static OperationOutcome hit(JsonNode result) {
		return new OperationOutcome(result, null, null);
	}

	static OperationOutcome delegated(String processingId, CachedOperations operations) {
		return new OperationOutcome(null, processingId, operations);
	}

	/**
	 * Returns whether the result was stored already.
	 * @return whether this is a hit
	 */
	public boolean isHit() {
		return this.result != null;
	}

	/**
	 * Returns the stored result of a hit.
	 * @return the result, or {@code null} if the request was delegated
	 */
	public @Nullable JsonNode result() {
		return this.result;
	}

	/**
	 * Returns the id of the processing (a task id) a missed request was delegated to;
	 * every request coalesced into one processing gets the same id.
	 * @return the id, or {@code null} for a hit
	 */
	public @Nullable String processingId() {
		return this.processingId;
	}

	/**
	 * Waits until the callback that receives this request's callback arguments has
	 * finished (or the request was quarantined).
	 * @param timeout how long to wait at most
	 * @return how the request ended
	 * @throws IllegalStateException for a hit, which has no callback
	 * @throws OperationTimeoutException if it did not end within the timeout
	 */
	public ProcessingOutcome awaitCallback(Duration timeout) {
		if (this.processingId == null || this.operations == null) {
			throw new IllegalStateException("A hit runs no callback; its result is here already");
		}
		return this.operations.awaitCallback(this.processingId, timeout);
	}

	@Override
	public String toString() {
		return isHit() ? "OperationOutcome[hit]" : "OperationOutcome[delegated to " + this.processingId + "]";
	}

}

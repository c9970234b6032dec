package io.celeriac.processing;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A result that was already stored when {@link CachedOperations#bulkGetOrDelegate} asked:
 * the result and the callback arguments of every request of the batch for it.
 *
 * @param callbackArgs the callback arguments, in request order
 * @param result the stored result
 * @author Celeriac team
 */
public record OperationHit(List<JsonNode> callbackArgs, JsonNode result) {

	public OperationHit {
		callbackArgs = List.copyOf(callbackArgs);
	}

}

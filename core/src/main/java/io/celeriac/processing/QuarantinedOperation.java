package io.celeriac.processing;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A request taken from the quarantine queue: the operation, the URI, why (the exception,
 * or {@link OperationContext#quarantine} with its keyword arguments), and the callback
 * arguments of the callers that will not be called back, so that a consumer can tell
 * them.
 *
 * @param operation the operation name
 * @param uri the URI
 * @param exception why it was quarantined
 * @param kwargs the keyword arguments: those given to
 * {@link OperationContext#quarantine(Map)}, or those of the run that threw
 * @param callbackArgs the callback arguments of the callers that were waiting
 * @author Celeriac team
 */
public record QuarantinedOperation(String operation, String uri, OperationFailure exception,
		Map<String, @Nullable Object> kwargs, List<JsonNode> callbackArgs) {

}

package io.celeriac.processing;

import org.jspecify.annotations.Nullable;

/**
 * One request of {@link CachedOperations#bulkGetOrDelegate}: an operation on a URI, and
 * the arguments the callback receives for this caller.
 *
 * @param operation the operation name
 * @param uri the URI
 * @param callbackArgs what the callback gets for this request (anything Jackson writes as
 * JSON), or {@code null}
 * @author Celeriac team
 */
public record OperationRequest(String operation, String uri, @Nullable Object callbackArgs) {

	/**
	 * Returns the key of the result this request asks for.
	 * @return the key
	 */
	public OperationKey key() {
		return new OperationKey(this.operation, this.uri);
	}

}

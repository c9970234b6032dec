package io.celeriac.processing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by an operation to give its request up and move it to the quarantine queue, with
 * keyword arguments for the {@link QuarantineConsumer}s (a status code, a reason); see
 * {@link OperationContext#quarantine(Map)}.
 *
 * @author Celeriac team
 */
public final class OperationQuarantine extends OperationSignal {

	private final Map<String, @Nullable Object> kwargs;

	OperationQuarantine(String reason, Map<String, ? extends @Nullable Object> kwargs) {
		super(reason);
		this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
	}

	/**
	 * Returns the keyword arguments the quarantine consumers receive.
	 * @return the keyword arguments
	 */
	public Map<String, @Nullable Object> kwargs() {
		return this.kwargs;
	}

}

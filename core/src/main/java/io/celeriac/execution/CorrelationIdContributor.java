package io.celeriac.execution;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Carries the MDC correlation id from the producer to the worker: the producer's
 * {@code correlationId} MDC entry (or a new id when it has none) travels in the
 * {@code x-celeriac-meta-correlation-id} header, and the worker puts it in its MDC while
 * the task runs, so a log pattern with {@code %X{correlationId}} ties the worker's lines
 * to the request that sent the task.
 *
 * @author Celeriac team
 */
public class CorrelationIdContributor implements MetadataContributor {

	/**
	 * The MDC key.
	 */
	public static final String MDC_KEY = "correlationId";

	@Override
	public String namespace() {
		return "correlation-id";
	}

	@Override
	public String produce() {
		String current = MDC.get(MDC_KEY);
		return (current != null) ? current : UUID.randomUUID().toString();
	}

	@Override
	public Scope consume(@Nullable String metadata) {
		if (metadata == null) {
			return () -> {
			};
		}
		String previous = MDC.get(MDC_KEY);
		MDC.put(MDC_KEY, metadata);
		return () -> {
			if (previous != null) {
				MDC.put(MDC_KEY, previous);
			}
			else {
				MDC.remove(MDC_KEY);
			}
		};
	}

}

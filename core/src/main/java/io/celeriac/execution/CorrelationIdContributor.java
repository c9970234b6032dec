package io.celeriac.execution;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Carries the MDC correlation id from the producer to the worker: the producer's
 * {@code correlationId} MDC entry, when it has one, travels in the
 * {@code x-celeriac-meta-correlation-id} header (without one the message has exactly
 * Celery's headers), and the worker puts it in its MDC while the task runs, so a log
 * pattern with {@code %X{correlationId}} ties the worker's lines to the request that sent
 * the task.
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
	public @Nullable String produce() {
		return MDC.get(MDC_KEY);
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

package io.celeriac.execution;

import org.jspecify.annotations.Nullable;

/**
 * Carries context from the producer to the worker in a message header of its own
 * namespace ({@code x-celeriac-meta-<namespace>}), as the seed's
 * {@code MetadataProducerConsumer}: a correlation id, the producing host, a tenant. It
 * does not see the task's arguments.
 *
 * @author Celeriac team
 */
public interface MetadataContributor {

	/**
	 * The prefix of the headers that carry metadata.
	 */
	String HEADER_PREFIX = "x-celeriac-meta-";

	/**
	 * Returns the namespace, unique among the contributors of an application: letters,
	 * digits and dashes.
	 * @return the namespace
	 */
	String namespace();

	/**
	 * Produces the metadata on the producer, when a task is sent.
	 * @return the value to carry, or {@code null} for none
	 */
	@Nullable String produce();

	/**
	 * Consumes the metadata on the worker, before the task runs.
	 * @param metadata the value the producer gave, or {@code null} if it gave none
	 * @return what undoes it once the task has run (e.g. removes an MDC entry)
	 */
	Scope consume(@Nullable String metadata);

	/**
	 * Undoes what {@link #consume(String)} did.
	 */
	@FunctionalInterface
	interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}

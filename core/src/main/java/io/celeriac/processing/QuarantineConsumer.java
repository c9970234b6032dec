package io.celeriac.processing;

/**
 * Receives the requests moved to the quarantine queue, on a worker of the quarantine
 * service. Every bean of this type receives every quarantined request; with none, they
 * are logged.
 *
 * @author Celeriac team
 */
@FunctionalInterface
public interface QuarantineConsumer {

	/**
	 * Consumes one quarantined request. An exception sends the quarantine message to the
	 * quarantine queue's error queue.
	 * @param request the request
	 */
	void consume(QuarantinedOperation request);

}

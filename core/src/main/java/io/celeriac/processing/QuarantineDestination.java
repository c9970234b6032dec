package io.celeriac.processing;

/**
 * Where a quarantined request goes.
 *
 * @author Celeriac team
 */
public enum QuarantineDestination {

	/**
	 * The quarantine service's queue, whose task hands the full
	 * {@link QuarantinedOperation} (kwargs and waiting callers included) to the
	 * {@link QuarantineConsumer} beans.
	 */
	CONSUMERS,

	/**
	 * backache's quarantine task ({@code backache.quarantine-consumer(operation, uri,
	 * exc)}) on its own queue ({@code backache-queue}), for a Python consumer or another
	 * Java fleet.
	 */
	TASK

}

package io.celeriac.processing;

/**
 * How a delegated request ended, as {@link CachedOperations#awaitCallback} reports it.
 *
 * @author Celeriac team
 */
public enum ProcessingOutcome {

	/**
	 * The result is stored and the operation's callback has run with this request's
	 * callback arguments (or no callback is registered).
	 */
	CALLED_BACK,

	/**
	 * The processing was quarantined (by the operation, or because it or the callback
	 * threw); the quarantine consumers receive the request.
	 */
	QUARANTINED

}

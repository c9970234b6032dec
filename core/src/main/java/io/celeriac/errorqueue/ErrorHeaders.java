package io.celeriac.errorqueue;

/**
 * The headers a message carries in an error queue, beside its own: why it is there, where
 * it came from, and what of the original the error queue's copy does not keep. Every one
 * begins with {@link #PREFIX}, so that a requeued message is the original again once they
 * are removed.
 *
 * @author Celeriac team
 */
public final class ErrorHeaders {

	/**
	 * What every error header's name begins with.
	 */
	public static final String PREFIX = "x-celeriac-error-";

	/**
	 * The {@link io.celeriac.protocol.ErrorKind}.
	 */
	public static final String KIND = PREFIX + "kind";

	/**
	 * A sentence saying what went wrong.
	 */
	public static final String REASON = PREFIX + "reason";

	/**
	 * The exception's class name, where there was an exception.
	 */
	public static final String EXCEPTION = PREFIX + "exception";

	/**
	 * The exception's stack trace, where there was an exception.
	 */
	public static final String STACK_TRACE = PREFIX + "stack-trace";

	/**
	 * The queue the message was taken from.
	 */
	public static final String QUEUE = PREFIX + "queue";

	/**
	 * The routing key the message was published with.
	 */
	public static final String ROUTING_KEY = PREFIX + "routing-key";

	/**
	 * The worker (or monitor) that moved the message.
	 */
	public static final String WORKER = PREFIX + "worker";

	/**
	 * When the message was moved, ISO 8601 in UTC.
	 */
	public static final String TIME = PREFIX + "time";

	/**
	 * The message's TTL, which the error queue's copy does not keep.
	 */
	public static final String ORIGINAL_EXPIRATION = PREFIX + "original-expiration";

	/**
	 * {@code false} where the original was not persistent: the error queue's copy always
	 * is, so that what failed survives a broker restart, and a requeued message is
	 * published as the original was.
	 */
	public static final String ORIGINAL_PERSISTENT = PREFIX + "original-persistent";

	/**
	 * How many attempts ran, for a task that threw.
	 */
	public static final String ATTEMPTS = PREFIX + "attempts";

	/**
	 * When the first attempt failed, ISO 8601 in UTC.
	 */
	public static final String FIRST_FAILURE = PREFIX + "first-failure";

	/**
	 * When the last attempt failed, ISO 8601 in UTC.
	 */
	public static final String LAST_FAILURE = PREFIX + "last-failure";

	/**
	 * Not an error header: the worker's count of the times a lock or limiter refused the
	 * task (the worker's {@code REFUSALS_HEADER}). A requeued task starts that count
	 * again, so it is removed too.
	 */
	public static final String REFUSALS = "x-celeriac-refusals";

	private ErrorHeaders() {
	}

}

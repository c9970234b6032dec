package io.celeriac.worker;

import java.time.Duration;

import io.celeriac.broker.Broker;
import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.errorqueue.ErrorQueuePublisher;
import io.celeriac.result.FailureLimits;
import io.celeriac.topology.Topology;

/**
 * The worker's {@link ErrorQueuePublisher}: moves a message that cannot be run to the
 * error queue beside the queue it came from, with the reason in headers, and names the
 * worker on each. Its header names are the {@link ErrorHeaders}.
 *
 * @author Celeriac team
 */
public class ErrorQueue extends ErrorQueuePublisher {

	/**
	 * Header: the {@link io.celeriac.protocol.ErrorKind}.
	 */
	public static final String KIND_HEADER = ErrorHeaders.KIND;

	/**
	 * Header: a sentence saying what went wrong.
	 */
	public static final String REASON_HEADER = ErrorHeaders.REASON;

	/**
	 * Header: the exception's class name, where there was an exception.
	 */
	public static final String EXCEPTION_HEADER = ErrorHeaders.EXCEPTION;

	/**
	 * Header: the exception's stack trace, where there was an exception.
	 */
	public static final String STACK_TRACE_HEADER = ErrorHeaders.STACK_TRACE;

	/**
	 * Header: the queue the message was taken from.
	 */
	public static final String QUEUE_HEADER = ErrorHeaders.QUEUE;

	/**
	 * Header: the routing key the message was published with.
	 */
	public static final String ROUTING_KEY_HEADER = ErrorHeaders.ROUTING_KEY;

	/**
	 * Header: the worker that moved the message.
	 */
	public static final String WORKER_HEADER = ErrorHeaders.WORKER;

	/**
	 * Header: when the message was moved, ISO 8601 in UTC.
	 */
	public static final String TIME_HEADER = ErrorHeaders.TIME;

	/**
	 * Header: the message's TTL, which the error queue's copy does not keep.
	 */
	public static final String EXPIRATION_HEADER = ErrorHeaders.ORIGINAL_EXPIRATION;

	/**
	 * Header: how many attempts ran, for a task that threw.
	 */
	public static final String ATTEMPTS_HEADER = ErrorHeaders.ATTEMPTS;

	/**
	 * Header: when the first attempt failed, ISO 8601 in UTC.
	 */
	public static final String FIRST_FAILURE_HEADER = ErrorHeaders.FIRST_FAILURE;

	/**
	 * Header: when the last attempt failed, ISO 8601 in UTC.
	 */
	public static final String LAST_FAILURE_HEADER = ErrorHeaders.LAST_FAILURE;

	/**
	 * Creates an error queue writer.
	 * @param broker the broker
	 * @param topology the topology, which names the error queues
	 * @param worker the name of this worker, recorded on each message
	 * @param confirmTimeout how long to wait for the broker to confirm a moved message
	 */
	public ErrorQueue(Broker broker, Topology topology, String worker, Duration confirmTimeout) {
		this(broker, topology, worker, confirmTimeout, FailureLimits.DEFAULTS);
	}

	/**
	 * Creates an error queue writer.
	 * @param broker the broker
	 * @param topology the topology, which names the error queues
	 * @param worker the name of this worker, recorded on each message
	 * @param confirmTimeout how long to wait for the broker to confirm a moved message
	 * @param limits the longest reason and stack trace written in the headers
	 */
	public ErrorQueue(Broker broker, Topology topology, String worker, Duration confirmTimeout, FailureLimits limits) {
		super(broker, topology, worker, confirmTimeout, limits);
	}

}

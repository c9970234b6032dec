package io.celeriac.worker;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.FailureLimits;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Moves a message that cannot be run to the error queue beside the queue it came from,
 * with its body and properties intact and the reason in headers, so that a person can
 * read it and requeue or discard it.
 *
 * @author Celeriac team
 */
public class ErrorQueue {

	/**
	 * Header: the {@link ErrorKind}.
	 */
	public static final String KIND_HEADER = "x-celeriac-error-kind";

	/**
	 * Header: a sentence saying what went wrong.
	 */
	public static final String REASON_HEADER = "x-celeriac-error-reason";

	/**
	 * Header: the exception's class name, where there was an exception.
	 */
	public static final String EXCEPTION_HEADER = "x-celeriac-error-exception";

	/**
	 * Header: the exception's stack trace, where there was an exception.
	 */
	public static final String STACK_TRACE_HEADER = "x-celeriac-error-stack-trace";

	/**
	 * Header: the queue the message was taken from.
	 */
	public static final String QUEUE_HEADER = "x-celeriac-error-queue";

	/**
	 * Header: the routing key the message was published with.
	 */
	public static final String ROUTING_KEY_HEADER = "x-celeriac-error-routing-key";

	/**
	 * Header: the worker that moved the message.
	 */
	public static final String WORKER_HEADER = "x-celeriac-error-worker";

	/**
	 * Header: when the message was moved, ISO 8601 in UTC.
	 */
	public static final String TIME_HEADER = "x-celeriac-error-time";

	/**
	 * Header: the message's TTL, which the error queue's copy does not keep.
	 */
	public static final String EXPIRATION_HEADER = "x-celeriac-error-original-expiration";

	/**
	 * Header: how many attempts ran, for a task that threw.
	 */
	public static final String ATTEMPTS_HEADER = "x-celeriac-error-attempts";

	/**
	 * Header: when the first attempt failed, ISO 8601 in UTC.
	 */
	public static final String FIRST_FAILURE_HEADER = "x-celeriac-error-first-failure";

	/**
	 * Header: when the last attempt failed, ISO 8601 in UTC.
	 */
	public static final String LAST_FAILURE_HEADER = "x-celeriac-error-last-failure";

	private final Broker broker;

	private final Topology topology;

	private final String worker;

	private final Duration confirmTimeout;

	private final FailureLimits limits;

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
		this.broker = broker;
		this.topology = topology;
		this.worker = worker;
		this.confirmTimeout = confirmTimeout;
		this.limits = limits;
	}

	/**
	 * Returns the longest exception message and traceback kept, which the worker also
	 * applies to result rows and logs.
	 * @return the limits
	 */
	public FailureLimits limits() {
		return this.limits;
	}

	/**
	 * Publishes a copy of the delivered message to the error queue and waits for the
	 * broker's confirmation. The caller acknowledges the delivery afterwards.
	 * @param delivery the delivery that cannot be run
	 * @param kind why
	 * @param reason a sentence saying why
	 * @param exception the exception, if there was one
	 * @return the error queue's name
	 * @throws PublishFailedException if the broker did not confirm the copy
	 */
	public String send(Delivery delivery, ErrorKind kind, String reason, @Nullable Throwable exception) {
		return send(delivery, kind, reason, exception, Map.of());
	}

	/**
	 * Publishes a copy of the delivered message to the error queue, with more headers,
	 * and waits for the broker's confirmation. The caller acknowledges the delivery
	 * afterwards.
	 * @param delivery the delivery that cannot be run
	 * @param kind why
	 * @param reason a sentence saying why
	 * @param exception the exception, if there was one
	 * @param more more headers, e.g. {@link #ATTEMPTS_HEADER}
	 * @return the error queue's name
	 * @throws PublishFailedException if the broker did not confirm the copy
	 */
	public String send(Delivery delivery, ErrorKind kind, String reason, @Nullable Throwable exception,
			Map<String, ?> more) {
		String errorQueue = this.topology.errorQueueName(delivery.queue());
		WireMessage original = delivery.message();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put(KIND_HEADER, kind.name());
		headers.put(REASON_HEADER, this.limits.message(reason));
		if (exception != null) {
			headers.put(EXCEPTION_HEADER, exception.getClass().getName());
			headers.put(STACK_TRACE_HEADER, this.limits.traceback(stackTrace(exception)));
		}
		headers.put(QUEUE_HEADER, delivery.queue());
		headers.put(ROUTING_KEY_HEADER, delivery.routingKey());
		headers.put(WORKER_HEADER, this.worker);
		headers.put(TIME_HEADER, Instant.now().toString());
		if (original.expiration() != null) {
			headers.put(EXPIRATION_HEADER, original.expiration());
		}
		headers.putAll(more);
		WireMessage copy = new WireMessage(original.body(), original.contentType(), original.contentEncoding(),
				original.headers(), original.correlationId(), original.replyTo(), original.priority(), true, null)
			.withHeaders(headers);
		this.broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, errorQueue, copy, this.confirmTimeout);
		return errorQueue;
	}

	/**
	 * Renders a stack trace as text.
	 * @param exception the exception
	 * @return its stack trace
	 */
	public static String stackTrace(Throwable exception) {
		StringWriter text = new StringWriter();
		exception.printStackTrace(new PrintWriter(text));
		return text.toString();
	}

}

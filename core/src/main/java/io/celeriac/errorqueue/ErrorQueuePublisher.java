package io.celeriac.errorqueue;

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
 * Moves a message that cannot be run or recorded to the error queue beside the queue it
 * came from, with its body and properties intact and the reason in the
 * {@link ErrorHeaders}, so that a person can read it and requeue or discard it (with the
 * {@link ErrorQueueService}). The copy is persistent whatever the original was; what the
 * copy does not keep of the original (its TTL, a transient delivery mode) is written in
 * headers and restored on requeue.
 *
 * @author Celeriac team
 */
public class ErrorQueuePublisher {

	private final Broker broker;

	private final Topology topology;

	private final String mover;

	private final Duration confirmTimeout;

	private final FailureLimits limits;

	/**
	 * Creates a publisher.
	 * @param broker the broker
	 * @param topology the topology, which names the error queues
	 * @param mover the name of the worker or monitor that moves messages, recorded on
	 * each
	 * @param confirmTimeout how long to wait for the broker to confirm a moved message
	 * @param limits the longest reason and stack trace written in the headers
	 */
	public ErrorQueuePublisher(Broker broker, Topology topology, String mover, Duration confirmTimeout,
			FailureLimits limits) {
		this.broker = broker;
		this.topology = topology;
		this.mover = mover;
		this.confirmTimeout = confirmTimeout;
		this.limits = limits;
	}

	/**
	 * Returns the longest exception message and traceback kept.
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
	 * @param more more headers, e.g. {@link ErrorHeaders#ATTEMPTS}
	 * @return the error queue's name
	 * @throws PublishFailedException if the broker did not confirm the copy
	 */
	public String send(Delivery delivery, ErrorKind kind, String reason, @Nullable Throwable exception,
			Map<String, ?> more) {
		String errorQueue = this.topology.errorQueueName(delivery.queue());
		WireMessage original = delivery.message();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put(ErrorHeaders.KIND, kind.name());
		headers.put(ErrorHeaders.REASON, this.limits.message(reason));
		if (exception != null) {
			headers.put(ErrorHeaders.EXCEPTION, exception.getClass().getName());
			headers.put(ErrorHeaders.STACK_TRACE, this.limits.traceback(stackTrace(exception)));
		}
		headers.put(ErrorHeaders.QUEUE, delivery.queue());
		headers.put(ErrorHeaders.ROUTING_KEY, delivery.routingKey());
		headers.put(ErrorHeaders.WORKER, this.mover);
		headers.put(ErrorHeaders.TIME, Instant.now().toString());
		if (original.expiration() != null) {
			headers.put(ErrorHeaders.ORIGINAL_EXPIRATION, original.expiration());
		}
		if (!original.persistent()) {
			headers.put(ErrorHeaders.ORIGINAL_PERSISTENT, false);
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

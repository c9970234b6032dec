package io.celeriac.operations;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import org.jspecify.annotations.Nullable;

/**
 * Requeues or discards the messages of an error queue. A requeued message is the original
 * again: the {@code x-celeriac-error-*} headers are removed (and the count of a lock's or
 * limiter's refusals, which starts again), its TTL restored, and it is published to the
 * topology's exchange with the routing key it first had; the error queue's copy is
 * acknowledged only once the broker confirmed the new one, so a crash in between
 * duplicates a message rather than losing it.
 *
 * @author Celeriac team
 */
public class ErrorQueueMessages {

	private static final String ERROR_HEADER_PREFIX = "x-celeriac-error-";

	private final Broker broker;

	private final Topology topology;

	private final Duration confirmTimeout;

	/**
	 * Creates the operations.
	 * @param broker the broker
	 * @param topology the topology, whose exchange requeued messages are published to
	 * @param confirmTimeout how long to wait for the broker to confirm a requeued message
	 */
	public ErrorQueueMessages(Broker broker, Topology topology, Duration confirmTimeout) {
		this.broker = broker;
		this.topology = topology;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Moves up to {@code limit} messages from an error queue back to the queues their
	 * routing key leads to.
	 * @param errorQueue the error queue's full name
	 * @param limit the most messages to move
	 * @return how many were moved
	 * @throws IllegalArgumentException if the queue is not one of the topology's error
	 * queues or the limit is not positive
	 * @throws PublishFailedException if the broker did not confirm a message; that
	 * message stays in the error queue
	 */
	public int requeue(String errorQueue, int limit) {
		check(errorQueue, limit);
		int moved = 0;
		while (moved < limit) {
			Delivery delivery = this.broker.get(errorQueue);
			if (delivery == null) {
				break;
			}
			try {
				WireMessage original = original(delivery.message());
				this.broker.publishConfirmed(this.topology.exchange(), routingKey(delivery), original,
						this.confirmTimeout);
			}
			catch (RuntimeException ex) {
				delivery.reject(true);
				throw new PublishFailedException("Could not requeue a message from " + errorQueue, ex);
			}
			delivery.ack();
			moved++;
		}
		return moved;
	}

	/**
	 * Drops up to {@code limit} messages from an error queue.
	 * @param errorQueue the error queue's full name
	 * @param limit the most messages to drop
	 * @return how many were dropped
	 * @throws IllegalArgumentException if the queue is not one of the topology's error
	 * queues or the limit is not positive
	 */
	public int discard(String errorQueue, int limit) {
		check(errorQueue, limit);
		int dropped = 0;
		while (dropped < limit) {
			Delivery delivery = this.broker.get(errorQueue);
			if (delivery == null) {
				break;
			}
			delivery.ack();
			dropped++;
		}
		return dropped;
	}

	private void check(String errorQueue, int limit) {
		if (limit <= 0) {
			throw new IllegalArgumentException("The limit must be positive, not " + limit);
		}
		if (!errorQueue.endsWith(this.topology.errorQueueSuffix())
				|| !errorQueue.startsWith(this.topology.queueNamePrefix())) {
			throw new IllegalArgumentException("'" + errorQueue + "' is not an error queue of this topology "
					+ "(prefix '" + this.topology.queueNamePrefix() + "', suffix '" + this.topology.errorQueueSuffix()
					+ "'); only error queues can be requeued or discarded");
		}
	}

	private String routingKey(Delivery delivery) {
		Object routingKey = delivery.message().headers().get(ErrorQueue.ROUTING_KEY_HEADER);
		if (routingKey == null) {
			throw new IllegalStateException("A message in " + delivery.queue() + " has no "
					+ ErrorQueue.ROUTING_KEY_HEADER + " header, so where it came from is unknown");
		}
		return routingKey.toString();
	}

	private static WireMessage original(WireMessage copy) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		copy.headers().forEach((name, value) -> {
			// a requeued task starts its count of lock and limiter refusals again
			if (!name.startsWith(ERROR_HEADER_PREFIX) && !name.equals(TaskWorker.REFUSALS_HEADER)) {
				headers.put(name, value);
			}
		});
		Object expiration = copy.headers().get(ErrorQueue.EXPIRATION_HEADER);
		return new WireMessage(copy.body(), copy.contentType(), copy.contentEncoding(), headers, copy.correlationId(),
				copy.replyTo(), copy.priority(), copy.persistent(),
				(expiration != null) ? expiration.toString() : null);
	}

}

package io.celeriac.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Reads and settles a service's error queue: lists its messages with their reasons,
 * requeues one or all (back to the service's exchange with their original routing key,
 * without the error headers), and discards one or all. It works with the broker's
 * {@link Broker#get(String) get} and {@link Broker#publish publish}: messages it looks at
 * and leaves are given back to the error queue. A selection by task id stops once every
 * id is found; beyond the first thousand messages left, those it passes are moved to the
 * back of the error queue rather than held.
 *
 * @author Celeriac team
 */
public class ErrorQueueOperations {

	/**
	 * The most messages held (taken, not yet settled) at once while visiting an error
	 * queue: well under RabbitMQ's default of 2,047 channels per connection, since each
	 * message taken holds one.
	 */
	static final int MAX_HELD = 1_000;

	private static final int MOVING_BATCH = 500;

	private final Broker broker;

	private final Topology topology;

	private final Duration confirmTimeout;

	/**
	 * Creates the operations.
	 * @param broker the broker
	 * @param topology the topology, which names the queues and the exchange
	 * @param confirmTimeout how long to wait for the broker to confirm a requeued message
	 */
	public ErrorQueueOperations(Broker broker, Topology topology, Duration confirmTimeout) {
		this.broker = broker;
		this.topology = topology;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Lists the messages in a service's error queue, oldest first.
	 * @param service the service (without prefix)
	 * @param max the most messages to list
	 * @return the messages
	 */
	public List<ErrorQueueMessage> list(String service, int max) {
		List<ErrorQueueMessage> messages = new ArrayList<>();
		// listing never moves a message, so it looks at no more than it can hold
		visit(service, Math.min(max, MAX_HELD), (delivery) -> {
			messages.add(ErrorQueueMessage.of(delivery.message()));
			return false;
		}, () -> false);
		return messages;
	}

	/**
	 * Requeues the message of one task.
	 * @param service the service (without prefix)
	 * @param taskId the task id
	 * @return {@code true} if it was found and requeued
	 */
	public boolean requeue(String service, String taskId) {
		return requeue(service, Set.of(taskId)) > 0;
	}

	/**
	 * Requeues the messages of some tasks, in one pass over the error queue.
	 * @param service the service (without prefix)
	 * @param taskIds the task ids
	 * @return how many messages were found and requeued
	 */
	public int requeue(String service, Collection<String> taskIds) {
		Set<String> wanted = ids(taskIds);
		Set<String> found = new HashSet<>();
		return visit(service, Integer.MAX_VALUE, (delivery) -> matches(delivery, wanted, found) && requeue(delivery),
				() -> found.containsAll(wanted));
	}

	/**
	 * Requeues every message of a service's error queue.
	 * @param service the service (without prefix)
	 * @return how many were requeued
	 */
	public int requeueAll(String service) {
		return visit(service, Integer.MAX_VALUE, this::requeue, () -> false);
	}

	/**
	 * Discards the message of one task.
	 * @param service the service (without prefix)
	 * @param taskId the task id
	 * @return {@code true} if it was found and discarded
	 */
	public boolean discard(String service, String taskId) {
		return discard(service, Set.of(taskId)) > 0;
	}

	/**
	 * Discards the messages of some tasks, in one pass over the error queue.
	 * @param service the service (without prefix)
	 * @param taskIds the task ids
	 * @return how many messages were found and discarded
	 */
	public int discard(String service, Collection<String> taskIds) {
		Set<String> wanted = ids(taskIds);
		Set<String> found = new HashSet<>();
		return visit(service, Integer.MAX_VALUE, (delivery) -> matches(delivery, wanted, found),
				() -> found.containsAll(wanted));
	}

	/**
	 * Discards every message of a service's error queue.
	 * @param service the service (without prefix)
	 * @return how many were discarded
	 */
	public int discardAll(String service) {
		return visit(service, Integer.MAX_VALUE, (delivery) -> true, () -> false);
	}

	private static Set<String> ids(Collection<String> taskIds) {
		// a missing id names no message, not the messages without one
		return taskIds.stream().filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());
	}

	private static boolean matches(Delivery delivery, Set<String> taskIds, Set<String> found) {
		Object header = delivery.message().headers().get("id");
		String correlationId = delivery.message().correlationId();
		@Nullable String id = (correlationId != null && taskIds.contains(correlationId)) ? correlationId
				: (header != null && taskIds.contains(header.toString())) ? header.toString() : null;
		if (id == null) {
			return false;
		}
		found.add(id);
		return true;
	}

	private boolean requeue(Delivery delivery) {
		WireMessage message = delivery.message();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>(message.headers());
		headers.keySet().removeIf((name) -> name.startsWith("x-celeriac-error-"));
		Object routingKey = message.headers().get(ErrorQueue.ROUTING_KEY_HEADER);
		if (routingKey == null) {
			throw new IllegalStateException("Message " + message.correlationId() + " has no "
					+ ErrorQueue.ROUTING_KEY_HEADER + " header, so where to requeue it is unknown");
		}
		Object expiration = message.headers().get(ErrorQueue.EXPIRATION_HEADER);
		WireMessage restored = new WireMessage(message.body(), message.contentType(), message.contentEncoding(),
				headers, message.correlationId(), message.replyTo(), message.priority(), true,
				(expiration != null) ? expiration.toString() : null);
		this.broker.publishConfirmed(this.topology.exchange(), routingKey.toString(), restored, this.confirmTimeout);
		return true;
	}

	/**
	 * Takes up to {@code max} messages (no more than the queue held when it began), until
	 * {@code complete} says the selection is found; acknowledges those the action settles
	 * (returns {@code true} for) and gives the others back at the end. A broker holds
	 * each message taken and not yet settled open, so no more than {@link #MAX_HELD} are
	 * held: further ones that stay are moved to the back of the error queue (published
	 * there, confirmed, then acknowledged, a batch at a time), which keeps them but not
	 * their place.
	 */
	private int visit(String service, int max, Predicate<Delivery> settle, BooleanSupplier complete) {
		String queue = this.topology.errorQueueName(this.topology.queueName(service));
		long present = this.broker.messageCount(queue);
		List<Delivery> kept = new ArrayList<>();
		List<Moving> moving = new ArrayList<>();
		int settled = 0;
		try {
			for (long seen = 0; seen < present && seen < max && !complete.getAsBoolean(); seen++) {
				Delivery delivery = this.broker.get(queue);
				if (delivery == null) {
					break;
				}
				boolean done;
				try {
					done = settle.test(delivery);
				}
				catch (RuntimeException ex) {
					delivery.reject(true);
					throw ex;
				}
				if (done) {
					delivery.ack();
					settled++;
				}
				else if (kept.size() < MAX_HELD) {
					kept.add(delivery);
				}
				else {
					moving.add(new Moving(delivery, publishToBack(queue, delivery)));
					if (moving.size() >= MOVING_BATCH) {
						settleMoved(queue, moving);
					}
				}
			}
		}
		finally {
			try {
				settleMoved(queue, moving);
			}
			finally {
				kept.forEach((delivery) -> delivery.reject(true));
			}
		}
		return settled;
	}

	private CompletableFuture<Void> publishToBack(String queue, Delivery delivery) {
		return this.broker.publishAsync(Broker.DEFAULT_EXCHANGE, queue, delivery.message());
	}

	/**
	 * Waits for the copies published to the back of the queue to be confirmed, then
	 * acknowledges their originals; an original whose copy was not confirmed is given
	 * back.
	 */
	private void settleMoved(String queue, List<Moving> moving) {
		@Nullable RuntimeException failure = null;
		for (Moving entry : moving) {
			if (failure != null) {
				entry.delivery().reject(true);
				continue;
			}
			try {
				Broker.awaitConfirmation(entry.confirmed(), this.confirmTimeout);
				entry.delivery().ack();
			}
			catch (PublishFailedException ex) {
				entry.delivery().reject(true);
				failure = new PublishFailedException("Could not move a message to the back of " + queue, ex);
			}
		}
		moving.clear();
		if (failure != null) {
			throw failure;
		}
	}

	private record Moving(Delivery delivery, CompletableFuture<Void> confirmed) {

	}

}

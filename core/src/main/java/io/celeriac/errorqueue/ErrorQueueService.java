package io.celeriac.errorqueue;

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
import io.celeriac.broker.QueueReader;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * Reads and settles error queues, for the {@code celeriac} Actuator endpoint and the
 * dashboard alike: lists a queue's messages with their reasons, requeues and discards a
 * selection by task id, the first messages, or all of them.
 * <p>
 * A requeued message is the original again: the {@link ErrorHeaders} are removed (and the
 * count of a lock's or limiter's refusals, which starts again), its TTL and delivery mode
 * restored, and it is published to the topology's exchange with the routing key it first
 * had (a message from the monitor's error queue goes back to the monitor queue alone,
 * since the exchange would give the task to its service again). The error queue's copy is
 * acknowledged only once the broker confirmed the new one, so a crash in between
 * duplicates a message rather than losing it.
 * <p>
 * It reads the queue with the broker's {@link Broker#reader(String) reader} and publishes
 * with {@link Broker#publish publish}: messages it looks at and leaves are given back to
 * the error queue at the end of the pass. A selection by task id stops once every id is
 * found. On RabbitMQ every message it leaves is held unacknowledged on the reader's one
 * channel until then and goes back in its place, however many there are; on a broker
 * whose reader holds fewer (a thousand), those it passes beyond that are moved to the
 * back of the error queue rather than held.
 *
 * @author Celeriac team
 */
public class ErrorQueueService {

	/**
	 * The most messages listed at once: no more than any broker's reader holds, so that
	 * listing never moves a message to the back of the queue.
	 */
	static final int MAX_LISTED = 1_000;

	private static final int MOVING_BATCH = 500;

	private final Broker broker;

	private final Topology topology;

	private final Duration confirmTimeout;

	/**
	 * Creates the service.
	 * @param broker the broker
	 * @param topology the topology, which names the queues and the exchange
	 * @param confirmTimeout how long to wait for the broker to confirm a requeued or
	 * moved message
	 */
	public ErrorQueueService(Broker broker, Topology topology, Duration confirmTimeout) {
		this.broker = broker;
		this.topology = topology;
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * Lists the first messages of an error queue, oldest first.
	 * @param errorQueue the error queue's full name
	 * @param max the most messages to list (no more than a thousand are listed)
	 * @return the messages
	 * @throws IllegalArgumentException if the name is not an error queue's
	 */
	public List<ErrorQueueMessage> list(String errorQueue, int max) {
		List<ErrorQueueMessage> messages = new ArrayList<>();
		visit(errorQueue, Math.min(max, MAX_LISTED), (delivery) -> {
			messages.add(ErrorQueueMessage.of(delivery.message()));
			return false;
		}, () -> false);
		return messages;
	}

	/**
	 * Requeues the messages of some tasks, in one pass over the error queue that stops
	 * once every one is found.
	 * @param errorQueue the error queue's full name
	 * @param taskIds the task ids
	 * @return how many messages were found and requeued
	 * @throws IllegalArgumentException if the name is not an error queue's
	 * @throws PublishFailedException if the broker did not confirm a message; that
	 * message stays in the error queue
	 */
	public int requeue(String errorQueue, Collection<String> taskIds) {
		Set<String> wanted = ids(taskIds);
		Set<String> found = new HashSet<>();
		return visit(errorQueue, Integer.MAX_VALUE,
				(delivery) -> matches(delivery, wanted, found) && requeue(errorQueue, delivery),
				() -> found.containsAll(wanted));
	}

	/**
	 * Requeues the first messages of an error queue.
	 * @param errorQueue the error queue's full name
	 * @param limit the most messages to requeue
	 * @return how many were requeued
	 * @throws IllegalArgumentException if the name is not an error queue's or the limit
	 * is not positive
	 * @throws PublishFailedException if the broker did not confirm a message; that
	 * message stays in the error queue
	 */
	public int requeueFirst(String errorQueue, int limit) {
		return visit(errorQueue, positive(limit), (delivery) -> requeue(errorQueue, delivery), () -> false);
	}

	/**
	 * Requeues every message of an error queue.
	 * @param errorQueue the error queue's full name
	 * @return how many were requeued
	 * @throws IllegalArgumentException if the name is not an error queue's
	 * @throws PublishFailedException if the broker did not confirm a message; that
	 * message stays in the error queue
	 */
	public int requeueAll(String errorQueue) {
		return visit(errorQueue, Integer.MAX_VALUE, (delivery) -> requeue(errorQueue, delivery), () -> false);
	}

	/**
	 * Discards the messages of some tasks, in one pass over the error queue that stops
	 * once every one is found.
	 * @param errorQueue the error queue's full name
	 * @param taskIds the task ids
	 * @return how many messages were found and discarded
	 * @throws IllegalArgumentException if the name is not an error queue's
	 */
	public int discard(String errorQueue, Collection<String> taskIds) {
		Set<String> wanted = ids(taskIds);
		Set<String> found = new HashSet<>();
		return visit(errorQueue, Integer.MAX_VALUE, (delivery) -> matches(delivery, wanted, found),
				() -> found.containsAll(wanted));
	}

	/**
	 * Discards the first messages of an error queue.
	 * @param errorQueue the error queue's full name
	 * @param limit the most messages to discard
	 * @return how many were discarded
	 * @throws IllegalArgumentException if the name is not an error queue's or the limit
	 * is not positive
	 */
	public int discardFirst(String errorQueue, int limit) {
		return visit(errorQueue, positive(limit), (delivery) -> true, () -> false);
	}

	/**
	 * Discards every message of an error queue.
	 * @param errorQueue the error queue's full name
	 * @return how many were discarded
	 * @throws IllegalArgumentException if the name is not an error queue's
	 */
	public int discardAll(String errorQueue) {
		return visit(errorQueue, Integer.MAX_VALUE, (delivery) -> true, () -> false);
	}

	private static int positive(int limit) {
		if (limit <= 0) {
			throw new IllegalArgumentException("The limit must be positive, not " + limit);
		}
		return limit;
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

	private boolean requeue(String errorQueue, Delivery delivery) {
		WireMessage message = delivery.message();
		Topology.ServiceQueue source = this.topology.serviceQueue(errorQueue);
		String exchange;
		String routingKey;
		if (source.monitor()) {
			exchange = Broker.DEFAULT_EXCHANGE;
			routingKey = source.queue();
		}
		else {
			Object header = message.headers().get(ErrorHeaders.ROUTING_KEY);
			if (header == null) {
				throw new IllegalStateException("Message " + message.correlationId() + " in " + errorQueue + " has no "
						+ ErrorHeaders.ROUTING_KEY + " header, so where to requeue it is unknown");
			}
			exchange = this.topology.exchange();
			routingKey = header.toString();
		}
		this.broker.publishConfirmed(exchange, routingKey, original(message), this.confirmTimeout);
		return true;
	}

	/**
	 * Returns the message as it was before it was moved to the error queue.
	 */
	private static WireMessage original(WireMessage copy) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		copy.headers().forEach((name, value) -> {
			// a requeued task starts its count of lock and limiter refusals again
			if (!name.startsWith(ErrorHeaders.PREFIX) && !name.equals(ErrorHeaders.REFUSALS)) {
				headers.put(name, value);
			}
		});
		Object expiration = copy.headers().get(ErrorHeaders.ORIGINAL_EXPIRATION);
		boolean persistent = !"false".equals(String.valueOf(copy.headers().get(ErrorHeaders.ORIGINAL_PERSISTENT)));
		return new WireMessage(copy.body(), copy.contentType(), copy.contentEncoding(), headers, copy.correlationId(),
				copy.replyTo(), copy.priority(), persistent, (expiration != null) ? expiration.toString() : null);
	}

	/**
	 * Takes up to {@code max} messages (no more than the queue held when it began), until
	 * {@code complete} says the selection is found; acknowledges those the action settles
	 * (returns {@code true} for) and leaves the others to the reader, which gives them
	 * back at the end. Past the reader's {@link QueueReader#holdLimit() hold limit},
	 * further ones that stay are moved to the back of the error queue (published there,
	 * confirmed, then acknowledged, a batch at a time), which keeps them but not their
	 * place.
	 */
	private int visit(String errorQueue, int max, Predicate<Delivery> settle, BooleanSupplier complete) {
		checkErrorQueue(errorQueue);
		long present = this.broker.messageCount(errorQueue);
		List<Moving> moving = new ArrayList<>();
		int settled = 0;
		try (QueueReader reader = this.broker.reader(errorQueue)) {
			try {
				long held = 0;
				for (long seen = 0; seen < present && seen < max && !complete.getAsBoolean(); seen++) {
					Delivery delivery = reader.next();
					if (delivery == null) {
						break;
					}
					// a failing action leaves its message, like the others, to the reader
					if (settle.test(delivery)) {
						delivery.ack();
						settled++;
					}
					else if (held < reader.holdLimit()) {
						held++;
					}
					else {
						moving.add(new Moving(delivery, publishToBack(errorQueue, delivery)));
						if (moving.size() >= MOVING_BATCH) {
							settleMoved(errorQueue, moving);
						}
					}
				}
			}
			finally {
				settleMoved(errorQueue, moving);
			}
		}
		return settled;
	}

	private void checkErrorQueue(String errorQueue) {
		if (errorQueue.isEmpty() || !errorQueue.endsWith(this.topology.errorQueueSuffix())
				|| errorQueue.equals(this.topology.errorQueueSuffix())) {
			throw new IllegalArgumentException("'" + errorQueue + "' is not an error queue (its name would end with '"
					+ this.topology.errorQueueSuffix() + "'); only error queues can be listed, requeued or discarded");
		}
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

package io.celeriac.broker;

import java.time.Duration;
import java.util.OptionalInt;

import io.celeriac.protocol.WireMessage;

/**
 * A message delivered to a consumer and not yet settled. Exactly one of {@link #ack()}
 * and {@link #reject(boolean)} settles it; until then the broker keeps it, and gives it
 * to another consumer if this one goes away.
 *
 * @author Celeriac team
 */
public interface Delivery {

	/**
	 * Returns the message.
	 * @return the message as received
	 */
	WireMessage message();

	/**
	 * Returns the queue the message was taken from.
	 * @return the queue's full name
	 */
	String queue();

	/**
	 * Returns the routing key the message was published with.
	 * @return the routing key
	 */
	String routingKey();

	/**
	 * Tells whether the broker delivered this message before, to a consumer that did not
	 * settle it.
	 * @return {@code true} for a redelivery
	 */
	boolean redelivered();

	/**
	 * Returns how many times the broker has delivered this message, this delivery
	 * included, where the broker counts: a message no consumer settled before has
	 * {@code 1}. A worker uses it to stop running a message whose task keeps killing the
	 * workers that take it. RabbitMQ counts on quorum queues only (their
	 * {@code x-delivery-count} header): on a classic queue a redelivery is only
	 * {@link #redelivered() marked}. The Redis, SQS and in-memory brokers count.
	 * @return the number of deliveries, or empty when the broker does not count them
	 */
	default OptionalInt deliveryCount() {
		return OptionalInt.empty();
	}

	/**
	 * Acknowledges the message: the broker forgets it.
	 */
	void ack();

	/**
	 * Rejects the message.
	 * @param requeue {@code true} to give it back to the queue, {@code false} to drop it
	 * (or dead-letter it where the queue says so)
	 */
	void reject(boolean requeue);

	/**
	 * Extends the time the broker leaves this delivery with its consumer before giving it
	 * to another: the visibility deadline becomes now plus the extension. A long task
	 * touches its delivery so that a broker with visibility timeouts (Redis) does not
	 * think its worker dead. On RabbitMQ this does nothing: the channel holds the
	 * delivery for as long as the consumer lives.
	 * @param extension how long from now the delivery stays with this consumer
	 * @throws IllegalArgumentException if the extension is not positive
	 */
	void touch(Duration extension);

	/**
	 * Checks a {@link #touch(Duration)} extension.
	 * @param extension the extension
	 * @return the extension
	 * @throws IllegalArgumentException if it is not positive
	 */
	static Duration requirePositive(Duration extension) {
		if (extension.isNegative() || extension.isZero()) {
			throw new IllegalArgumentException("A delivery is touched for a positive duration, not " + extension);
		}
		return extension;
	}

}

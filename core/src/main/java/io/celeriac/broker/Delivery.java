package io.celeriac.broker;

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
	 * Acknowledges the message: the broker forgets it.
	 */
	void ack();

	/**
	 * Rejects the message.
	 * @param requeue {@code true} to give it back to the queue, {@code false} to drop it
	 * (or dead-letter it where the queue says so)
	 */
	void reject(boolean requeue);

}

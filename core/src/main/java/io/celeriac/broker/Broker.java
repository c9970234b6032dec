package io.celeriac.broker;

import java.util.concurrent.CompletableFuture;

import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * A message broker as Celeriac uses it: declare the topology, publish with confirmation,
 * and consume with explicit acknowledgement, so that a message is gone only once its
 * outcome is recorded.
 *
 * @author Celeriac team
 */
public interface Broker {

	/**
	 * The exchange that delivers a message to the queue named by its routing key.
	 */
	String DEFAULT_EXCHANGE = "";

	/**
	 * Declares the topology's exchange, queues, bindings and error queues. Declaring what
	 * already exists with the same settings does nothing.
	 * @param topology the topology
	 */
	void declare(Topology topology);

	/**
	 * Publishes a message.
	 * @param exchange the exchange, or {@link #DEFAULT_EXCHANGE}
	 * @param routingKey the routing key
	 * @param message the message
	 * @return a future completed once the broker has taken responsibility for the
	 * message, or completed exceptionally if it refused it or did not answer in time
	 */
	CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message);

	/**
	 * Starts consuming a queue.
	 * @param queue the queue's full name
	 * @param settings how many consumers and how many unacknowledged messages each may
	 * hold
	 * @param handler what runs for each delivery; it must acknowledge or reject it
	 * @return the running subscription
	 */
	Subscription consume(String queue, ConsumerSettings settings, DeliveryHandler handler);

	/**
	 * Takes one message from a queue without subscribing, as AMQP's {@code basic.get}
	 * does.
	 * @param queue the queue's full name
	 * @return the delivery, which must be acknowledged or rejected, or {@code null} if
	 * the queue is empty
	 */
	@Nullable Delivery get(String queue);

	/**
	 * Tells whether a queue exists.
	 * @param queue the queue's full name
	 * @return {@code true} if it exists
	 */
	boolean queueExists(String queue);

	/**
	 * Returns how many messages wait in a queue, not counting those delivered and not yet
	 * acknowledged.
	 * @param queue the queue's full name
	 * @return the number of ready messages
	 */
	long messageCount(String queue);

}

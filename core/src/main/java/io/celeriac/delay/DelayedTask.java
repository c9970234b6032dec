package io.celeriac.delay;

import java.time.Instant;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message to publish once it is due.
 *
 * @param exchange the exchange to publish it to
 * @param routingKey the routing key to publish it with
 * @param message the message, as it will be published
 * @param due when it is due
 * @param queue the queue it was taken from and will return to, which counts it among its
 * delayed messages; {@code null} when not known
 * @author Celeriac team
 */
public record DelayedTask(String exchange, String routingKey, WireMessage message, Instant due,
		@Nullable String queue) {

	/**
	 * Creates a task counted against no queue.
	 * @param exchange the exchange to publish it to
	 * @param routingKey the routing key to publish it with
	 * @param message the message, as it will be published
	 * @param due when it is due
	 */
	public DelayedTask(String exchange, String routingKey, WireMessage message, Instant due) {
		this(exchange, routingKey, message, due, null);
	}

}

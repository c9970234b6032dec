package io.celeriac.delay;

import java.time.Instant;

import io.celeriac.protocol.WireMessage;

/**
 * A message to publish once it is due.
 *
 * @param exchange the exchange to publish it to
 * @param routingKey the routing key to publish it with
 * @param message the message, as it will be published
 * @param due when it is due
 * @author Celeriac team
 */
public record DelayedTask(String exchange, String routingKey, WireMessage message, Instant due) {

}

package io.celeriac.broker;

import java.time.Duration;

/**
 * A running consumption of a queue.
 *
 * @author Celeriac team
 */
public interface Subscription extends AutoCloseable {

	/**
	 * Stops taking messages, waits up to the timeout for the deliveries in hand to be
	 * settled, then gives every unsettled delivery back to the broker.
	 * @param timeout how long to wait for deliveries in hand
	 */
	void stop(Duration timeout);

	/**
	 * Tells whether the subscription still takes messages.
	 * @return {@code true} until stopped
	 */
	boolean isRunning();

	/**
	 * Stops at once, giving every unsettled delivery back to the broker.
	 */
	@Override
	default void close() {
		stop(Duration.ZERO);
	}

}

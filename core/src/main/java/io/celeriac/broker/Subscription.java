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
	 * Stops taking messages and returns at once: a delivery that reaches the subscription
	 * from now on goes back to the queue unrun, while the deliveries in hand stay with it
	 * and can be settled until {@link #stop(Duration) stopped}. A worker calls it before
	 * it gives back deliveries it holds unstarted, so that they are not handed to it
	 * again. Does nothing by default: stopping stops taking messages too.
	 */
	default void stopTaking() {
	}

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

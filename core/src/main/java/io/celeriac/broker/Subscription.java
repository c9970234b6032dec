package io.celeriac.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.commons.logging.LogFactory;

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

	/**
	 * Stops subscriptions side by side, each on a thread of its own, so that stopping
	 * them all takes the timeout, not one timeout each. An interrupt of the calling
	 * thread is passed on to every stop, which it cuts short; a stop that fails is
	 * logged.
	 * @param subscriptions the subscriptions, each stopped once
	 * @param timeout how long each may wait for its deliveries in hand
	 * @param threadName the name of the stopping threads
	 */
	static void stopTogether(Collection<? extends Subscription> subscriptions, Duration timeout, String threadName) {
		List<Thread> stopping = new ArrayList<>();
		for (Subscription subscription : subscriptions) {
			Thread stopper = new Thread(() -> {
				try {
					subscription.stop(timeout);
				}
				catch (RuntimeException ex) {
					LogFactory.getLog(Subscription.class).error("Stopping a subscription failed", ex);
				}
			}, threadName);
			stopper.start();
			stopping.add(stopper);
		}
		boolean interrupted = false;
		for (Thread stopper : stopping) {
			while (stopper.isAlive()) {
				try {
					stopper.join();
				}
				catch (InterruptedException ex) {
					interrupted = true;
					stopping.forEach(Thread::interrupt);
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}

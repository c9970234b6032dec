package io.celeriac.broker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long a consumer pauses before it gives a message back after consecutive
 * infrastructure failures (a result or task store that does not answer, an error queue
 * that does not confirm): doubling from a first pause up to a cap, and back to nothing
 * after a success, so that a broken store is not hammered in a tight loop by the same
 * messages coming back.
 *
 * @author Celeriac team
 */
public class ConsumerBackoff {

	private final Duration first;

	private final Duration cap;

	private final AtomicInteger consecutive = new AtomicInteger();

	/**
	 * Creates a backoff.
	 * @param first the pause after the first failure
	 * @param cap the longest pause
	 */
	public ConsumerBackoff(Duration first, Duration cap) {
		this.first = first;
		this.cap = cap;
	}

	/**
	 * Returns a backoff that pauses 100 ms after the first failure and at most 30
	 * seconds, as the worker's does.
	 * @return the backoff
	 */
	public static ConsumerBackoff defaults() {
		return new ConsumerBackoff(Duration.ofMillis(100), Duration.ofSeconds(30));
	}

	/**
	 * Counts one more failure and returns how long to pause after it.
	 * @return the pause
	 */
	public Duration next() {
		int failures = this.consecutive.incrementAndGet();
		long millis = this.first.toMillis() << Math.min(failures - 1, 20);
		return Duration.ofMillis(Math.min(millis, this.cap.toMillis()));
	}

	/**
	 * Forgets the failures after a success.
	 */
	public void reset() {
		if (this.consecutive.get() != 0) {
			this.consecutive.set(0);
		}
	}

	/**
	 * Pauses the calling thread; an interrupt ends the pause and stays set.
	 * @param pause how long
	 */
	public static void sleep(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

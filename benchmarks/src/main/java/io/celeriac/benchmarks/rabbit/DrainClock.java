package io.celeriac.benchmarks.rabbit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Times a drain from its first delivery, so that what opening the consumers takes (a
 * connection, channels, the first round trip) is left out on every side of a comparison.
 *
 * @author Celeriac team
 */
public final class DrainClock {

	private final AtomicLong firstDelivery = new AtomicLong();

	/**
	 * Marks a delivery; the first one starts the clock.
	 */
	public void delivered() {
		if (this.firstDelivery.get() == 0) {
			this.firstDelivery.compareAndSet(0, System.nanoTime());
		}
	}

	/**
	 * Returns the nanoseconds since the first delivery.
	 * @return the nanoseconds
	 * @throws IllegalStateException if nothing was delivered yet
	 */
	public long sinceFirstDelivery() {
		long first = this.firstDelivery.get();
		if (first == 0) {
			throw new IllegalStateException("Nothing was delivered");
		}
		return System.nanoTime() - first;
	}

	/**
	 * Returns the nanoseconds from the given instant to the first delivery.
	 * @param start an instant from {@link System#nanoTime()}
	 * @return the nanoseconds
	 */
	public long toFirstDelivery(long start) {
		return this.firstDelivery.get() - start;
	}

}

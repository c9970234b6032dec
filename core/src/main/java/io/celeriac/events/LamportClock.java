package io.celeriac.events;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The logical clock Celery stamps on each event ({@code clock}; kombu's
 * {@code LamportClock}): it moves forward with every event sent, and past every clock
 * value seen, so that receivers can order events from processes whose wall clocks
 * disagree.
 *
 * @author Celeriac team
 */
public final class LamportClock {

	private final AtomicLong value = new AtomicLong();

	/**
	 * Moves the clock forward for an event sent.
	 * @return the new value
	 */
	public long forward() {
		return this.value.incrementAndGet();
	}

	/**
	 * Moves the clock past a value received from another process.
	 * @param other the value received
	 * @return the new value
	 */
	public long adjust(long other) {
		return this.value.updateAndGet((current) -> Math.max(current, other) + 1);
	}

	/**
	 * Returns the current value.
	 * @return the value
	 */
	public long value() {
		return this.value.get();
	}

}

package io.celeriac.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long to pause after consecutive infrastructure failures: doubling from a first
 * pause up to a cap, and back to nothing after a success.
 *
 * @author Celeriac team
 */
final class FailureBackoff {

	private final Duration first;

	private final Duration cap;

	private final AtomicInteger consecutive = new AtomicInteger();

	FailureBackoff(Duration first, Duration cap) {
		this.first = first;
		this.cap = cap;
	}

	Duration next() {
		int failures = this.consecutive.incrementAndGet();
		long millis = this.first.toMillis() << Math.min(failures - 1, 20);
		return Duration.ofMillis(Math.min(millis, this.cap.toMillis()));
	}

	void reset() {
		if (this.consecutive.get() != 0) {
			this.consecutive.set(0);
		}
	}

}

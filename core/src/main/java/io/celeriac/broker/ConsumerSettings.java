package io.celeriac.broker;

/**
 * How a queue is consumed.
 *
 * @param concurrency how many consumers run at once, each on its own thread
 * @param prefetch how many unacknowledged messages each consumer may hold
 * @author Celeriac team
 */
public record ConsumerSettings(int concurrency, int prefetch) {

	public ConsumerSettings {
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
		}
		if (prefetch < 1) {
			throw new IllegalArgumentException("prefetch must be at least 1, not " + prefetch);
		}
	}

}

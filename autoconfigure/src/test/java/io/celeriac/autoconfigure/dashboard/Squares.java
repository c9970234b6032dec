package io.celeriac.autoconfigure.dashboard;

import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.cache.CacheRegion;

/**
 * A cached method in the {@code short_term} region, counting its computations.
 *
 * @author Celeriac team
 */
public class Squares {

	private final AtomicInteger computed = new AtomicInteger();

	@CacheRegion("short_term")
	public int square(int value) {
		this.computed.incrementAndGet();
		return value * value;
	}

	int computed() {
		return this.computed.get();
	}

}

package io.celeriac.sample;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.cache.CacheRegion;
import io.celeriac.cache.CacheRegionEvict;

import org.springframework.stereotype.Service;

/**
 * A deliberately slow computation cached in the {@code short_term} region.
 *
 * @author Celeriac team
 */
@Service
public class SlowSquares {

	static final String NAMESPACE = "slow-square";

	private final AtomicLong computations = new AtomicLong();

	/**
	 * Squares a number, slowly; cached for as long as {@code short_term} says.
	 * @param n the number
	 * @return the square, with when and by which computation it was made
	 */
	@CacheRegion(value = "short_term", namespace = NAMESPACE)
	public SlowSquare square(long n) {
		long computation = this.computations.incrementAndGet();
		try {
			TimeUnit.MILLISECONDS.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return new SlowSquare(n, n * n, computation, Instant.now());
	}

	/**
	 * Forgets the cached square of one number.
	 * @param n the number
	 */
	@CacheRegionEvict(value = "short_term", namespace = NAMESPACE)
	public void forget(long n) {
	}

	/**
	 * Returns how many squares were really computed.
	 * @return the number of computations
	 */
	public long computations() {
		return this.computations.get();
	}

	/**
	 * A computed square.
	 *
	 * @param n the number
	 * @param square its square
	 * @param computation which computation made it
	 * @param computedAt when it was made
	 */
	public record SlowSquare(long n, long square, long computation, Instant computedAt) {

	}

}

package io.celeriac.sample;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * A deliberately slow computation cached with Spring's {@code @Cacheable} in the
 * {@code long_term} region ({@code celeriac.cache.spring-cache.enabled}).
 *
 * @author Celeriac team
 */
@Service
public class SlowCubes {

	private final AtomicLong computations = new AtomicLong();

	/**
	 * Cubes a number, slowly; one caller across every instance computes it while the
	 * others wait for its value or get the previous one.
	 * @param n the number
	 * @return the cube, with when and by which computation it was made
	 */
	@Cacheable(cacheNames = "long_term", sync = true)
	public SlowCube cube(long n) {
		long computation = this.computations.incrementAndGet();
		try {
			TimeUnit.MILLISECONDS.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return new SlowCube(n, n * n * n, computation, Instant.now());
	}

	/**
	 * Forgets the cached cube of one number.
	 * @param n the number
	 */
	@CacheEvict(cacheNames = "long_term", key = "#n")
	public void forget(long n) {
	}

	/**
	 * Returns how many cubes were really computed.
	 * @return the number of computations
	 */
	public long computations() {
		return this.computations.get();
	}

	/**
	 * A computed cube.
	 *
	 * @param n the number
	 * @param cube its cube
	 * @param computation which computation made it
	 * @param computedAt when it was made
	 */
	public record SlowCube(long n, long cube, long computation, Instant computedAt) {

	}

}

package io.celeriac.test.cache;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.celeriac.cache.CacheRegion;
import io.celeriac.cache.CacheRegionEvict;
import org.jspecify.annotations.Nullable;

/**
 * The bean whose methods the cache contract caches; it counts how often each method
 * really runs, and runs a hook while it computes so that tests can hold a computation.
 *
 * @author Celeriac team
 */
public class Calculator {

	/**
	 * The region most methods cache in.
	 */
	public static final String SHORT_TERM = "short_term";

	/**
	 * The region {@link #points(int)} caches in.
	 */
	public static final String LONG_TERM = "long_term";

	private final AtomicInteger squares = new AtomicInteger();

	private final AtomicInteger cubes = new AtomicInteger();

	private final AtomicInteger versions = new AtomicInteger();

	private final AtomicInteger nothings = new AtomicInteger();

	private final AtomicInteger points = new AtomicInteger();

	private final AtomicInteger failures = new AtomicInteger();

	private volatile Runnable whileComputing = () -> {
	};

	private volatile boolean failing;

	/**
	 * Sets what each computation runs before it returns.
	 * @param whileComputing the hook
	 */
	public void whileComputing(Runnable whileComputing) {
		this.whileComputing = whileComputing;
	}

	/**
	 * Makes {@link #failing(int)} throw or not.
	 * @param failing whether it throws
	 */
	public void failing(boolean failing) {
		this.failing = failing;
	}

	@CacheRegion(value = SHORT_TERM, namespace = "squares")
	public int square(int n) {
		this.squares.incrementAndGet();
		this.whileComputing.run();
		return n * n;
	}

	@CacheRegion(value = SHORT_TERM, namespace = "cubes")
	public int cube(int n) {
		this.cubes.incrementAndGet();
		return n * n * n;
	}

	@CacheRegion(value = SHORT_TERM, namespace = "versions")
	public int version(String name) {
		int version = this.versions.incrementAndGet();
		this.whileComputing.run();
		return version;
	}

	@CacheRegion(SHORT_TERM)
	public @Nullable String nothing(String name) {
		this.nothings.incrementAndGet();
		return null;
	}

	@CacheRegion(LONG_TERM)
	public List<Point> points(int count) {
		this.points.incrementAndGet();
		return IntStream.range(0, count).mapToObj((i) -> new Point(i, i * 10)).toList();
	}

	@CacheRegion(value = SHORT_TERM, namespace = "failing")
	public int failing(int n) {
		this.failures.incrementAndGet();
		if (this.failing) {
			throw new IllegalStateException("Failed on purpose");
		}
		return n;
	}

	@CacheRegionEvict(value = SHORT_TERM, namespace = "squares")
	public void forgetSquare(int n) {
	}

	@CacheRegionEvict(value = SHORT_TERM, namespace = "squares", allEntries = true)
	public void forgetSquares() {
	}

	@CacheRegionEvict(SHORT_TERM)
	public void forgetShortTerm() {
	}

	public int squares() {
		return this.squares.get();
	}

	public int cubes() {
		return this.cubes.get();
	}

	public int versions() {
		return this.versions.get();
	}

	public int nothings() {
		return this.nothings.get();
	}

	public int pointLists() {
		return this.points.get();
	}

	public int failures() {
		return this.failures.get();
	}

	/**
	 * A value with a generic container around it, to read back.
	 *
	 * @param x the abscissa
	 * @param y the ordinate
	 */
	public record Point(int x, int y) {

	}

}

package io.celeriac.test.cache;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/**
 * The bean whose methods the Spring Cache contract caches with {@code @Cacheable} in
 * cache regions; like {@link Calculator}, it counts how often each method really runs and
 * runs a hook while it computes so that tests can hold a computation.
 *
 * @author Celeriac team
 */
public class SpringCachedCalculator {

	private final AtomicInteger squares = new AtomicInteger();

	private final AtomicInteger versions = new AtomicInteger();

	private final AtomicInteger labels = new AtomicInteger();

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

	@Cacheable(Calculator.SHORT_TERM)
	public int square(int n) {
		this.squares.incrementAndGet();
		this.whileComputing.run();
		return n * n;
	}

	@CachePut(cacheNames = Calculator.SHORT_TERM, key = "#n")
	public int putSquare(int n) {
		this.squares.incrementAndGet();
		return n * n;
	}

	@Cacheable(cacheNames = Calculator.SHORT_TERM, sync = true)
	public int version(String name) {
		int version = this.versions.incrementAndGet();
		this.whileComputing.run();
		return version;
	}

	@Cacheable(cacheNames = Calculator.SHORT_TERM, key = "'plain:' + #name")
	public int plainVersion(String name) {
		int version = this.versions.incrementAndGet();
		this.whileComputing.run();
		return version;
	}

	@Cacheable(Calculator.LONG_TERM)
	public String label(String customer, int year) {
		this.labels.incrementAndGet();
		return customer + "/" + year;
	}

	@Cacheable(Calculator.LONG_TERM)
	public String label() {
		this.labels.incrementAndGet();
		return "none";
	}

	@Cacheable(Calculator.SHORT_TERM)
	public @Nullable String nothing(String name) {
		this.nothings.incrementAndGet();
		return null;
	}

	@Cacheable(cacheNames = Calculator.SHORT_TERM, sync = true, key = "'sync:' + #name")
	public @Nullable String syncNothing(String name) {
		this.nothings.incrementAndGet();
		return null;
	}

	@Cacheable(cacheNames = Calculator.SHORT_TERM, key = "'unless:' + #name", unless = "#result == null")
	public @Nullable String nothingUnlessNull(String name) {
		this.nothings.incrementAndGet();
		return null;
	}

	@Cacheable(cacheNames = Calculator.SHORT_TERM, key = "'optional:' + #name")
	public Optional<String> maybe(String name) {
		this.nothings.incrementAndGet();
		return Optional.empty();
	}

	@Cacheable(Calculator.LONG_TERM)
	public List<Calculator.Point> points(int count) {
		this.points.incrementAndGet();
		return IntStream.range(0, count).mapToObj((i) -> new Calculator.Point(i, i * 10)).toList();
	}

	@Cacheable(cacheNames = Calculator.LONG_TERM, sync = true, key = "'sync:' + #count")
	public List<Calculator.Point> syncPoints(int count) {
		return points(count);
	}

	@Cacheable(cacheNames = Calculator.SHORT_TERM, sync = true, key = "'failing:' + #n")
	public int failing(int n) {
		this.failures.incrementAndGet();
		if (this.failing) {
			throw new IllegalStateException("Failed on purpose");
		}
		return n;
	}

	@Cacheable(Calculator.SHORT_TERM)
	public int opaque(Opaque opaque) {
		return 0;
	}

	@Cacheable("unconfigured")
	public int unconfigured(int n) {
		return n;
	}

	@Cacheable(Calculator.SHORT_TERM)
	public CompletableFuture<Integer> later(int n) {
		return CompletableFuture.completedFuture(n);
	}

	@CacheEvict(cacheNames = Calculator.SHORT_TERM, key = "#n")
	public void forgetSquare(int n) {
	}

	@CacheEvict(cacheNames = Calculator.SHORT_TERM, allEntries = true)
	public void forgetShortTerm() {
	}

	public int squares() {
		return this.squares.get();
	}

	public int versions() {
		return this.versions.get();
	}

	public int labels() {
		return this.labels.get();
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
	 * An argument Jackson cannot write: it has no properties.
	 */
	public static final class Opaque {

	}

}

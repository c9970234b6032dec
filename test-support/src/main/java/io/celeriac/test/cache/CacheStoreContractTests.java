package io.celeriac.test.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheRegion;
import io.celeriac.cache.CacheRegionAdvisor;
import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.CacheMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The contract of a {@link CacheStore}, shown through {@link CacheRegions} and a
 * {@link CacheRegion @CacheRegion} proxy: caching, null values, generic values, the
 * thundering-herd protection on cold and expired keys, region and function invalidation,
 * and statistics. A backend's test extends it and says how to create a store (each test
 * gets a fresh, empty one) and how to age an entry.
 *
 * @author Celeriac team
 */
public abstract class CacheStoreContractTests {

	/**
	 * How many callers the thundering-herd tests send at once.
	 */
	protected static final int CALLERS = 50;

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final JsonMapper mapper = new JsonMapper();

	private final ExecutorService executor = Executors.newFixedThreadPool(CALLERS);

	private CacheStore store;

	private CacheRegions regions;

	private Calculator target;

	private Calculator calculator;

	/**
	 * Creates a fresh, empty store for one test.
	 * @return the store
	 */
	protected abstract CacheStore createStore();

	/**
	 * Makes an entry older than it is, as if it had been computed {@code age} earlier.
	 * @param store the store
	 * @param key the entry
	 * @param age how much older
	 */
	protected abstract void age(CacheStore store, CacheEntryKey key, Duration age);

	@BeforeEach
	void createRegions() {
		this.store = createStore();
		this.regions = regions(CacheSettings.of(regionSettings()).withWaits(DEADLINE, DEADLINE));
		this.target = new Calculator();
		this.calculator = proxy(this.target, this.regions);
	}

	@AfterEach
	void stopCallers() {
		this.executor.shutdownNow();
	}

	/**
	 * Returns the regions the tests use: {@code short_term} and {@code long_term}, both
	 * fresh for an hour.
	 * @return the regions
	 */
	protected static Map<String, CacheRegionSettings> regionSettings() {
		return Map.of(Calculator.SHORT_TERM, CacheRegionSettings.expiringAfter(Duration.ofHours(1)),
				Calculator.LONG_TERM, CacheRegionSettings.expiringAfter(Duration.ofHours(1)));
	}

	/**
	 * Returns cache regions over this test's store.
	 * @param settings the settings
	 * @return the regions
	 */
	protected CacheRegions regions(CacheSettings settings) {
		return new CacheRegions(this.store, settings, this.mapper, CacheMetrics.none());
	}

	/**
	 * Returns this test's {@code @CacheRegion} proxy.
	 * @return the proxy
	 */
	protected Calculator calculator() {
		return this.calculator;
	}

	/**
	 * Returns this test's cache regions.
	 * @return the regions
	 */
	protected CacheRegions regions() {
		return this.regions;
	}

	/**
	 * Returns this test's store.
	 * @return the store
	 */
	protected CacheStore store() {
		return this.store;
	}

	/**
	 * Returns a {@link CacheRegion @CacheRegion} proxy of a calculator.
	 * @param calculator the target
	 * @param regions the regions it caches in
	 * @return the proxy
	 */
	public static Calculator proxy(Calculator calculator, CacheRegions regions) {
		ProxyFactory factory = new ProxyFactory(calculator);
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new CacheRegionAdvisor(() -> regions));
		return (Calculator) factory.getProxy();
	}

	@Test
	void aSecondCallIsAHit() {
		assertThat(this.calculator.square(7)).isEqualTo(49);
		assertThat(this.calculator.square(7)).isEqualTo(49);
		assertThat(this.calculator.squares()).isEqualTo(1);
		assertThat(counted(this.regions.statistics(Calculator.SHORT_TERM)))
			.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, "squares", 1, 1, 0));
	}

	@Test
	void theKeyIsMadeOfTheArgumentsAndNotOfTheBeanInstance() {
		Calculator other = new Calculator();
		Calculator otherProxy = proxy(other, this.regions);
		this.calculator.square(3);
		assertThat(otherProxy.square(3)).isEqualTo(9);
		assertThat(other.squares()).isZero();
		assertThat(otherProxy.square(4)).isEqualTo(16);
		assertThat(other.squares()).isEqualTo(1);
	}

	@Test
	void aNullResultIsCached() {
		assertThat(this.calculator.nothing("none")).isNull();
		assertThat(this.calculator.nothing("none")).isNull();
		assertThat(this.calculator.nothings()).isEqualTo(1);
	}

	@Test
	void valuesAreReadBackWithTheMethodsGenericReturnType() {
		List<Calculator.Point> computed = this.calculator.points(3);
		List<Calculator.Point> cached = this.calculator.points(3);
		assertThat(cached).isEqualTo(computed).first().isInstanceOf(Calculator.Point.class);
		assertThat(this.calculator.pointLists()).isEqualTo(1);
	}

	@Test
	void fiftyCallersOnAColdKeyRunTheMethodOnceAndTheOthersWaitForItsValue() throws Exception {
		AtomicInteger entered = new AtomicInteger();
		this.calculator.whileComputing(
				() -> await().atMost(DEADLINE).untilAsserted(() -> assertThat(entered.get()).isEqualTo(CALLERS)));
		List<Future<Integer>> results = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			results.add(this.executor.submit(() -> {
				entered.incrementAndGet();
				return this.calculator.square(5);
			}));
		}
		for (Future<Integer> result : results) {
			assertThat(result.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(25);
		}
		assertThat(this.calculator.squares()).isEqualTo(1);
		assertThat(counted(this.regions.statistics(Calculator.SHORT_TERM)))
			.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, "squares", CALLERS - 1, 1, 0));
	}

	@Test
	void fiftyCallersOnAnExpiredKeyRunTheMethodOnceAndTheOthersGetTheStaleValueAtOnce() throws Exception {
		assertThat(this.calculator.version("herd")).isEqualTo(1);
		age(this.store, new CacheEntryKey(Calculator.SHORT_TERM, "versions", "[\"herd\"]"), Duration.ofHours(2));
		AtomicInteger returned = new AtomicInteger();
		// the regenerating caller finishes only after every other caller has its answer
		this.calculator.whileComputing(
				() -> await().atMost(DEADLINE).untilAsserted(() -> assertThat(returned.get()).isEqualTo(CALLERS - 1)));
		List<Future<Integer>> results = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			results.add(this.executor.submit(() -> {
				int version = this.calculator.version("herd");
				if (version == 1) {
					returned.incrementAndGet();
				}
				return version;
			}));
		}
		List<Integer> versions = new ArrayList<>();
		for (Future<Integer> result : results) {
			versions.add(result.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
		}
		assertThat(versions).containsOnly(1, 2).filteredOn((version) -> version == 2).hasSize(1);
		assertThat(this.calculator.versions()).isEqualTo(2);
		assertThat(this.calculator.version("herd")).isEqualTo(2);
		assertThat(counted(this.regions.statistics(Calculator.SHORT_TERM)))
			.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, "versions", 1, 2, CALLERS - 1));
	}

	@Test
	void anExpiredEntryIsRegeneratedByTheNextCaller() {
		this.calculator.version("alone");
		age(this.store, new CacheEntryKey(Calculator.SHORT_TERM, "versions", "[\"alone\"]"), Duration.ofHours(2));
		assertThat(this.calculator.version("alone")).isEqualTo(2);
		assertThat(this.calculator.version("alone")).isEqualTo(2);
	}

	@Test
	void aCallerGivesUpWaitingForAnotherAfterTheColdMissWaitAndComputesTheValueItself() throws Exception {
		CacheRegions impatient = regions(
				CacheSettings.of(regionSettings()).withWaits(Duration.ofMillis(100), Duration.ofMinutes(1)));
		Calculator impatientProxy = proxy(this.target, impatient);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch computing = new CountDownLatch(1);
		this.calculator.whileComputing(() -> {
			computing.countDown();
			awaitLatch(release);
		});
		Future<Integer> first = this.executor.submit(() -> this.calculator.square(9));
		assertThat(computing.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
		this.calculator.whileComputing(() -> {
		});
		assertThat(impatientProxy.square(9)).isEqualTo(81);
		assertThat(this.calculator.squares()).isEqualTo(2);
		release.countDown();
		assertThat(first.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(81);
	}

	@Test
	void aFailingMethodCachesNothingAndReleasesTheLock() {
		this.calculator.failing(true);
		assertThatIllegalStateException().isThrownBy(() -> this.calculator.failing(1));
		this.calculator.failing(false);
		// were the lock still held, this call would wait for the whole cold miss wait
		assertTimeoutPreemptively(DEADLINE.dividedBy(2), () -> assertThat(this.calculator.failing(1)).isEqualTo(1));
		assertThat(this.calculator.failing(1)).isEqualTo(1);
		assertThat(this.calculator.failures()).isEqualTo(2);
	}

	@Test
	void invalidatingARegionRecomputesEveryFunctionInItAndNoOtherRegion() {
		this.calculator.square(2);
		this.calculator.cube(2);
		this.calculator.points(2);
		this.regions.invalidateRegion(Calculator.SHORT_TERM);
		this.calculator.square(2);
		this.calculator.cube(2);
		this.calculator.points(2);
		assertThat(this.calculator.squares()).isEqualTo(2);
		assertThat(this.calculator.cubes()).isEqualTo(2);
		assertThat(this.calculator.pointLists()).isEqualTo(1);
		this.calculator.forgetShortTerm();
		this.calculator.square(2);
		this.calculator.cube(2);
		assertThat(this.calculator.squares()).isEqualTo(3);
		assertThat(this.calculator.cubes()).isEqualTo(3);
	}

	@Test
	void invalidatingAFunctionForAllArgumentsRecomputesOnlyThatFunction() throws Exception {
		this.calculator.square(2);
		this.calculator.square(3);
		this.calculator.cube(2);
		this.regions.invalidateFunction(Calculator.SHORT_TERM, "squares");
		this.calculator.square(2);
		this.calculator.square(3);
		this.calculator.cube(2);
		assertThat(this.calculator.squares()).isEqualTo(4);
		assertThat(this.calculator.cubes()).isEqualTo(1);
		this.calculator.forgetSquares();
		this.calculator.square(2);
		assertThat(this.calculator.squares()).isEqualTo(5);
		this.regions.invalidateFunction(Calculator.class.getMethod("square", int.class));
		this.calculator.square(3);
		assertThat(this.calculator.squares()).isEqualTo(6);
		assertThat(this.calculator.cubes()).isEqualTo(1);
	}

	@Test
	void invalidatingAFunctionForSomeArgumentsRecomputesOnlyThoseEntries() throws Exception {
		this.calculator.square(2);
		this.calculator.square(3);
		this.calculator.square(4);
		this.regions.invalidateFunction(Calculator.SHORT_TERM, "squares", 2);
		this.calculator.square(2);
		this.calculator.square(3);
		assertThat(this.calculator.squares()).isEqualTo(4);
		this.calculator.forgetSquare(3);
		this.calculator.square(3);
		this.calculator.square(4);
		assertThat(this.calculator.squares()).isEqualTo(5);
		this.regions.invalidateFunction(Calculator.class.getMethod("square", int.class), 4);
		this.calculator.square(4);
		this.calculator.square(2);
		assertThat(this.calculator.squares()).isEqualTo(6);
	}

	@Test
	void statisticsAreKeptPerRegionAndNamespace() {
		this.calculator.square(1);
		this.calculator.square(1);
		this.calculator.square(1);
		this.calculator.cube(1);
		this.calculator.points(1);
		this.calculator.points(1);
		assertThat(counted(this.regions.statistics())).containsExactly(
				new CacheStatistics(Calculator.LONG_TERM, "io.celeriac.test.cache.Calculator.points", 1, 1, 0),
				new CacheStatistics(Calculator.SHORT_TERM, "cubes", 0, 1, 0),
				new CacheStatistics(Calculator.SHORT_TERM, "squares", 2, 1, 0));
	}

	@Test
	void statisticsCanBeTurnedOff() {
		Calculator uncounted = proxy(this.target, regions(this.regions.settings().withStatistics(false)));
		uncounted.square(1);
		uncounted.square(1);
		assertThat(this.calculator.squares()).isEqualTo(1);
		assertThat(this.regions.statistics()).isEmpty();
	}

	@Test
	void cachingCanBeTurnedOff() {
		Calculator uncached = proxy(this.target, regions(this.regions.settings().withEnabled(false)));
		uncached.square(1);
		uncached.square(1);
		assertThat(this.calculator.squares()).isEqualTo(2);
	}

	@Test
	void aRegionThatIsNotConfiguredIsAClearError() {
		CacheRegions without = regions(CacheSettings
			.of(Map.of(Calculator.LONG_TERM, CacheRegionSettings.expiringAfter(Duration.ofMinutes(1)))));
		Calculator unconfigured = proxy(this.target, without);
		assertThatExceptionOfType(CacheConfigurationException.class).isThrownBy(() -> unconfigured.square(1))
			.withMessageContaining("No cache region named 'short_term'")
			.withMessageContaining("celeriac.cache.regions.short_term.expires");
		assertThatExceptionOfType(CacheConfigurationException.class)
			.isThrownBy(() -> without.invalidateRegion("nowhere"));
	}

	@Test
	void aValueWrittenOrInvalidatedInThisProcessIsNeverReadStaleAfterwards() throws Exception {
		Object[] arguments = { "fresh" };
		this.regions.put(Calculator.SHORT_TERM, "versions", arguments, 0, CacheRegions.Read.UNKNOWN);
		AtomicBoolean reading = new AtomicBoolean(true);
		// another caller keeps reading the entry, as a busy application would
		Future<?> reader = this.executor.submit(() -> {
			while (reading.get()) {
				this.regions.find(Calculator.SHORT_TERM, "versions", arguments, this.regions.valueType(Integer.class));
			}
		});
		try {
			for (int version = 1; version <= 200; version++) {
				this.regions.put(Calculator.SHORT_TERM, "versions", arguments, version, CacheRegions.Read.UNKNOWN);
				assertThat(this.regions
					.find(Calculator.SHORT_TERM, "versions", arguments, this.regions.valueType(Integer.class))
					.value()).isEqualTo(version);
				if (version % 20 == 0) {
					this.regions.invalidateFunction(Calculator.SHORT_TERM, "versions", arguments);
					assertThat(this.regions
						.find(Calculator.SHORT_TERM, "versions", arguments, this.regions.valueType(Integer.class))
						.found()).isFalse();
				}
			}
		}
		finally {
			reading.set(false);
			reader.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		}
	}

	/**
	 * Returns statistics as a store without a near cache counts them: the near hits are
	 * among the hits, and this suite expects the same hits whether a near cache answered
	 * them or not.
	 * @param statistics the statistics
	 * @return the statistics without their near hits
	 */
	protected static List<CacheStatistics> counted(List<CacheStatistics> statistics) {
		return statistics.stream()
			.map((counted) -> new CacheStatistics(counted.region(), counted.namespace(), counted.hits(),
					counted.misses(), counted.staleServes()))
			.toList();
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

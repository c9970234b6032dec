package io.celeriac.test.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.spring.CacheRegionCache;
import io.celeriac.cache.spring.CacheRegionCacheManager;
import io.celeriac.cache.spring.CacheRegionCacheResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.AnnotationCacheOperationSource;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.cache.interceptor.SimpleKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The contract of Spring's cache abstraction on cache regions: {@code @Cacheable},
 * {@code @CachePut} and {@code @CacheEvict} through Spring's own {@link CacheInterceptor}
 * and key generation, with a {@link CacheRegionCacheManager} over a {@link CacheStore}.
 * It shows region expiry, herd protection with stale serving for {@code sync = true},
 * values read back with the method's generic return type, Spring's null semantics, entry
 * and region eviction, and statistics. A backend's test extends it and says how to create
 * a store (each test gets a fresh, empty one) and how to age an entry.
 *
 * @author Celeriac team
 */
public abstract class SpringCacheContractTests {

	/**
	 * How many callers the thundering-herd tests send at once.
	 */
	protected static final int CALLERS = 50;

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final ExecutorService executor = Executors.newFixedThreadPool(CALLERS);

	private CacheStore store;

	private CacheRegions regions;

	private CacheRegionCacheManager cacheManager;

	private SpringCachedCalculator calculator;

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
	void createCacheManager() {
		this.store = createStore();
		this.regions = regions(this.store, CacheMetrics.none());
		this.cacheManager = new CacheRegionCacheManager(this.regions, true);
		this.calculator = proxy(new SpringCachedCalculator(), this.cacheManager);
	}

	@AfterEach
	void stopCallers() {
		this.executor.shutdownNow();
	}

	/**
	 * Returns cache regions over a store, with the contract's regions ({@code short_term}
	 * and {@code long_term}, both fresh for an hour) and waits.
	 * @param store the store
	 * @param metrics where outcomes are recorded
	 * @return the regions
	 */
	protected static CacheRegions regions(CacheStore store, CacheMetrics metrics) {
		return new CacheRegions(store,
				CacheSettings.of(CacheStoreContractTests.regionSettings()).withWaits(DEADLINE, DEADLINE),
				new JsonMapper(), metrics);
	}

	/**
	 * Returns a proxy that runs a bean's Spring Cache annotations with Spring's
	 * {@link CacheInterceptor}, resolving caches with a {@link CacheRegionCacheResolver},
	 * as {@code @EnableCaching} does with the auto-configured beans.
	 * @param <T> the bean's type
	 * @param target the bean
	 * @param cacheManager the cache manager
	 * @return the proxy
	 */
	@SuppressWarnings("unchecked")
	public static <T> T proxy(T target, CacheRegionCacheManager cacheManager) {
		CacheInterceptor interceptor = new CacheInterceptor();
		interceptor.setCacheOperationSource(new AnnotationCacheOperationSource());
		interceptor.setCacheResolver(new CacheRegionCacheResolver(cacheManager));
		interceptor.afterPropertiesSet();
		interceptor.afterSingletonsInstantiated();
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvice(interceptor);
		return (T) factory.getProxy();
	}

	/**
	 * Returns this test's proxy.
	 * @return the proxy
	 */
	protected SpringCachedCalculator calculator() {
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
	 * Returns this test's cache manager.
	 * @return the cache manager
	 */
	protected CacheRegionCacheManager cacheManager() {
		return this.cacheManager;
	}

	/**
	 * Returns the key of an entry that Spring's cache abstraction keeps in a region.
	 * @param region the region
	 * @param arguments the rendered arguments, e.g. {@code ["herd"]}
	 * @return the key
	 */
	protected static CacheEntryKey entry(String region, String arguments) {
		return new CacheEntryKey(region, CacheRegionCache.NAMESPACE, arguments);
	}

	@Test
	void theCachesAreTheConfiguredRegions() {
		assertThat(this.cacheManager.getCacheNames()).containsExactly(Calculator.LONG_TERM, Calculator.SHORT_TERM);
		assertThat(this.cacheManager.getCache(Calculator.SHORT_TERM).getNativeCache()).isSameAs(this.regions);
	}

	@Test
	void aSecondCallIsAHit() {
		assertThat(this.calculator.square(7)).isEqualTo(49);
		assertThat(this.calculator.square(7)).isEqualTo(49);
		assertThat(this.calculator.squares()).isEqualTo(1);
		assertThat(this.regions.statistics(Calculator.SHORT_TERM))
			.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, CacheRegionCache.NAMESPACE, 1, 1, 0));
	}

	@Test
	void keysAreSpringsKeysRenderedAsArgumentArrays() {
		this.calculator.square(7);
		this.calculator.label("acme", 2024);
		this.calculator.label();
		Cache shortTerm = this.cacheManager.getCache(Calculator.SHORT_TERM);
		Cache longTerm = this.cacheManager.getCache(Calculator.LONG_TERM);
		assertThat(shortTerm.get(7)).isNotNull().extracting(Cache.ValueWrapper::get).isEqualTo(49);
		assertThat(longTerm.get(new SimpleKey("acme", 2024), String.class)).isEqualTo("acme/2024");
		assertThat(longTerm.get(SimpleKey.EMPTY, String.class)).isEqualTo("none");
		assertThat(longTerm.get(new SimpleKey("acme", 2025))).isNull();
		assertThat(this.calculator.label("acme", 2024)).isEqualTo("acme/2024");
		assertThat(this.calculator.labels()).isEqualTo(2);
	}

	@Test
	void valuesAreReadBackWithTheMethodsGenericReturnType() {
		List<Calculator.Point> computed = this.calculator.points(3);
		List<Calculator.Point> cached = this.calculator.points(3);
		assertThat(cached).isEqualTo(computed).first().isInstanceOf(Calculator.Point.class);
		assertThat(this.calculator.syncPoints(2)).first().isInstanceOf(Calculator.Point.class);
		assertThat(this.calculator.syncPoints(2)).first().isInstanceOf(Calculator.Point.class);
		assertThat(this.calculator.pointLists()).isEqualTo(2);
	}

	@Test
	void fiftySyncCallersOnAnExpiredKeyRunTheMethodOnceAndTheOthersGetTheStaleValueAtOnce() throws Exception {
		assertThat(this.calculator.version("herd")).isEqualTo(1);
		age(this.store, entry(Calculator.SHORT_TERM, "[\"herd\"]"), Duration.ofHours(2));
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
		assertThat(this.regions.statistics(Calculator.SHORT_TERM))
			.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, CacheRegionCache.NAMESPACE, 1, 2, CALLERS - 1));
	}

	@Test
	void fiftySyncCallersOnAColdKeyRunTheMethodOnceAndTheOthersWaitForItsValue() throws Exception {
		AtomicInteger entered = new AtomicInteger();
		this.calculator.whileComputing(
				() -> await().atMost(DEADLINE).untilAsserted(() -> assertThat(entered.get()).isEqualTo(CALLERS)));
		List<Future<Integer>> results = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			results.add(this.executor.submit(() -> {
				entered.incrementAndGet();
				return this.calculator.version("cold");
			}));
		}
		for (Future<Integer> result : results) {
			assertThat(result.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
		}
		assertThat(this.calculator.versions()).isEqualTo(1);
		assertThat(this.regions.statistics(Calculator.SHORT_TERM))
			.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, CacheRegionCache.NAMESPACE, CALLERS - 1, 1, 0));
	}

	@Test
	void anEntryExpiresWithItsRegion() {
		assertThat(this.calculator.plainVersion("alone")).isEqualTo(1);
		assertThat(this.calculator.plainVersion("alone")).isEqualTo(1);
		age(this.store, entry(Calculator.SHORT_TERM, "[\"plain:alone\"]"), Duration.ofHours(2));
		assertThat(this.calculator.plainVersion("alone")).isEqualTo(2);
		assertThat(this.calculator.plainVersion("alone")).isEqualTo(2);
	}

	@Test
	void anInvalidationDuringANonSyncComputationAppliesToItsValue() {
		this.calculator.whileComputing(() -> {
			long invalidatedAt = System.currentTimeMillis();
			this.calculator.forgetShortTerm();
			// the value is put in a later millisecond than the invalidation
			await().atMost(DEADLINE).until(() -> System.currentTimeMillis() > invalidatedAt + 1);
		});
		assertThat(this.calculator.plainVersion("during")).isEqualTo(1);
		this.calculator.whileComputing(() -> {
		});
		assertThat(this.calculator.plainVersion("during")).isEqualTo(2);
		assertThat(this.calculator.plainVersion("during")).isEqualTo(2);
	}

	@Test
	void aNonSyncCallerGetsTheStaleValueWhileASyncCallerRegeneratesIt() throws Exception {
		assertThat(this.calculator.version("shared")).isEqualTo(1);
		age(this.store, entry(Calculator.SHORT_TERM, "[\"shared\"]"), Duration.ofHours(2));
		CountDownLatch computing = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.calculator.whileComputing(() -> {
			computing.countDown();
			awaitLatch(release);
		});
		Future<Integer> regenerating = this.executor.submit(() -> this.calculator.version("shared"));
		assertThat(computing.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
		Cache cache = this.cacheManager.getCache(Calculator.SHORT_TERM);
		assertThat(cache.get("shared", Integer.class)).isEqualTo(1);
		release.countDown();
		assertThat(regenerating.get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2);
		assertThat(cache.get("shared", Integer.class)).isEqualTo(2);
	}

	@Test
	void aFailingSyncMethodCachesNothingReleasesTheLockAndThrowsItsOwnException() {
		this.calculator.failing(true);
		assertThatIllegalStateException().isThrownBy(() -> this.calculator.failing(1)).withMessage("Failed on purpose");
		this.calculator.failing(false);
		// were the lock still held, this call would wait for the whole cold miss wait
		assertTimeoutPreemptively(DEADLINE.dividedBy(2), () -> assertThat(this.calculator.failing(1)).isEqualTo(1));
		assertThat(this.calculator.failing(1)).isEqualTo(1);
		assertThat(this.calculator.failures()).isEqualTo(2);
	}

	@Test
	void nullIsCachedWhenNullValuesAreAllowed() {
		assertThat(this.calculator.nothing("none")).isNull();
		assertThat(this.calculator.nothing("none")).isNull();
		assertThat(this.calculator.syncNothing("none")).isNull();
		assertThat(this.calculator.syncNothing("none")).isNull();
		assertThat(this.calculator.maybe("none")).isEmpty();
		assertThat(this.calculator.maybe("none")).isEqualTo(Optional.empty());
		assertThat(this.calculator.nothings()).isEqualTo(3);
		assertThat(this.cacheManager.getCache(Calculator.SHORT_TERM).get("none")).isNotNull()
			.extracting(Cache.ValueWrapper::get)
			.isNull();
	}

	@Test
	void nullIsRefusedWhenNullValuesAreNotAllowed() {
		SpringCachedCalculator target = new SpringCachedCalculator();
		SpringCachedCalculator strict = proxy(target, new CacheRegionCacheManager(this.regions, false));
		assertThatIllegalArgumentException().isThrownBy(() -> strict.nothing("none"))
			.withMessageContaining("celeriac.cache.spring-cache.allow-null-values");
		assertThatIllegalArgumentException().isThrownBy(() -> strict.syncNothing("none"))
			.withMessageContaining("celeriac.cache.spring-cache.allow-null-values");
		assertThat(strict.nothingUnlessNull("none")).isNull();
		assertThat(strict.nothingUnlessNull("none")).isNull();
		assertThat(target.nothings()).isEqualTo(4);
		// a refused null leaves no entry and no lock behind
		assertTimeoutPreemptively(DEADLINE.dividedBy(2),
				() -> assertThat(this.calculator.syncNothing("none")).isNull());
		assertThat(this.calculator.syncNothing("none")).isNull();
		assertThat(this.calculator.nothings()).isEqualTo(1);
	}

	@Test
	void cachePutStoresTheValueForCacheableCallers() {
		assertThat(this.calculator.putSquare(6)).isEqualTo(36);
		assertThat(this.calculator.square(6)).isEqualTo(36);
		assertThat(this.calculator.squares()).isEqualTo(1);
		assertThat(this.calculator.putSquare(6)).isEqualTo(36);
		assertThat(this.calculator.squares()).isEqualTo(2);
	}

	@Test
	void cacheEvictWithAKeyEvictsThatEntryOnly() {
		this.calculator.square(2);
		this.calculator.square(3);
		this.calculator.forgetSquare(2);
		this.calculator.square(2);
		this.calculator.square(3);
		assertThat(this.calculator.squares()).isEqualTo(3);
	}

	@Test
	void cacheEvictOfAllEntriesInvalidatesTheWholeRegionAndNoOtherRegion() {
		Calculator target = new Calculator();
		Calculator regionCalculator = CacheStoreContractTests.proxy(target, this.regions);
		this.calculator.square(2);
		this.calculator.square(3);
		this.calculator.points(2);
		regionCalculator.square(2);
		this.calculator.forgetShortTerm();
		this.calculator.square(2);
		this.calculator.square(3);
		this.calculator.points(2);
		regionCalculator.square(2);
		assertThat(this.calculator.squares()).isEqualTo(4);
		assertThat(this.calculator.pointLists()).isEqualTo(1);
		assertThat(target.squares()).isEqualTo(2);
	}

	@Test
	void anUnconfiguredCacheNameIsAClearError() {
		assertThatExceptionOfType(CacheConfigurationException.class).isThrownBy(() -> this.calculator.unconfigured(1))
			.withMessageContaining("No cache region named 'unconfigured'")
			.withMessageContaining("celeriac.cache.regions.unconfigured.expires");
		assertThatExceptionOfType(CacheConfigurationException.class)
			.isThrownBy(() -> this.cacheManager.getCache("unconfigured"));
	}

	@Test
	void aKeyThatCannotBeWrittenAsJsonIsAClearError() {
		assertThatExceptionOfType(CacheConfigurationException.class)
			.isThrownBy(() -> this.calculator.opaque(new SpringCachedCalculator.Opaque()))
			.withMessageContaining("cannot be written as JSON")
			.withMessageContaining("key attribute");
	}

	@Test
	void anAsynchronousMethodIsAClearError() {
		assertThatExceptionOfType(CacheConfigurationException.class).isThrownBy(() -> this.calculator.later(1))
			.withMessageContaining("CompletableFuture");
	}

	@Test
	void cachingCanBeTurnedOff() {
		CacheRegions disabled = new CacheRegions(this.store, this.regions.settings().withEnabled(false),
				new JsonMapper(), CacheMetrics.none());
		SpringCachedCalculator target = new SpringCachedCalculator();
		SpringCachedCalculator uncached = proxy(target, new CacheRegionCacheManager(disabled, true));
		uncached.square(1);
		uncached.square(1);
		uncached.version("off");
		uncached.version("off");
		assertThat(target.squares()).isEqualTo(2);
		assertThat(target.versions()).isEqualTo(2);
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

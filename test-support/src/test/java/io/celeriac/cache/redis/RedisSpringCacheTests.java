package io.celeriac.cache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.micrometer.MicrometerCacheMetrics;
import io.celeriac.cache.spring.CacheRegionCache;
import io.celeriac.cache.spring.CacheRegionCacheManager;
import io.celeriac.test.cache.Calculator;
import io.celeriac.test.cache.SpringCacheContractTests;
import io.celeriac.test.cache.SpringCachedCalculator;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the Spring Cache contract on {@link RedisCacheStore} on a real Redis, and shows
 * what only a shared store does: keys in the region's key space, statistics another
 * process reads, and herd protection across processes.
 *
 * @author Celeriac team
 */
@RealServices
class RedisSpringCacheTests extends SpringCacheContractTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private static RedisCacheConnections connections;

	private final ExecutorService executor = Executors.newFixedThreadPool(CALLERS);

	private String keyPrefix;

	@BeforeAll
	static void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		connections = RedisCacheConnections.open(redis, isolation);
	}

	@AfterAll
	static void disconnect() {
		connections.close();
	}

	@AfterEach
	void stopOwnCallers() {
		this.executor.shutdownNow();
	}

	@Override
	protected CacheStore createStore() {
		this.keyPrefix = connections.newKeyPrefix();
		return new RedisCacheStore(connections.connectionFactory(), this.keyPrefix, Duration.ofSeconds(5));
	}

	/**
	 * Returns a store of "another process": its own connections, the same key prefix.
	 * @return the store
	 */
	private RedisCacheStore otherProcessStore() {
		return new RedisCacheStore(connections.otherConnectionFactory(), this.keyPrefix, Duration.ofSeconds(5));
	}

	@Override
	protected void age(CacheStore store, CacheEntryKey key, Duration age) {
		connections.age((RedisCacheStore) store, key, age);
	}

	@Test
	void entriesLiveInTheRegionsKeySpaceAsJson() {
		calculator().square(7);
		calculator().label("acme", 2024);
		calculator().label();
		calculator().points(1);
		String shortTerm = this.keyPrefix + "cache:{short_term}:entry:spring:";
		String longTerm = this.keyPrefix + "cache:{long_term}:entry:spring:";
		assertThat(connections.sync().get(shortTerm + "[7]")).endsWith(":49");
		assertThat(connections.sync().get(longTerm + "[\"acme\",2024]")).endsWith(":\"acme/2024\"");
		assertThat(connections.sync().get(longTerm + "[]")).endsWith(":\"none\"");
		assertThat(connections.sync().get(longTerm + "[1]")).endsWith(":[{\"x\":0,\"y\":0}]");
	}

	@Test
	void statisticsAreInMicrometerAndReadableFromAnotherProcess() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CacheRegions measured = regions(store(), new MicrometerCacheMetrics(meters));
		SpringCachedCalculator calculator = proxy(new SpringCachedCalculator(),
				new CacheRegionCacheManager(measured, true));
		calculator.square(1);
		calculator.square(1);
		calculator.square(2);
		calculator.version("counted");
		calculator.version("counted");
		assertThat(meters.get(MicrometerCacheMetrics.GETS)
			.tags("region", "short_term", "namespace", "spring", "result", "hit")
			.counter()
			.count()).isEqualTo(2);
		assertThat(meters.get(MicrometerCacheMetrics.GETS)
			.tags("region", "short_term", "namespace", "spring", "result", "miss")
			.counter()
			.count()).isEqualTo(3);
		String statisticsKey = this.keyPrefix + "cache:{short_term}:statistics";
		// hits reach Redis within the store's flush interval (one second here)
		await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(connections.sync().hgetall(statisticsKey))
				.containsOnly(Map.entry("hits:spring", "2"), Map.entry("misses:spring", "3")));
		CacheRegions otherProcess = regions(otherProcessStore(), CacheMetrics.none());
		assertThat(otherProcess.statistics(Calculator.SHORT_TERM))
			.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, CacheRegionCache.NAMESPACE, 2, 3, 0));
		assertThat(otherProcess.statistics()).extracting(CacheStatistics::region)
			.containsExactly(Calculator.SHORT_TERM);
	}

	@Test
	void syncCallersInTwoProcessesOnAnExpiredKeyRunTheMethodOnceAndTheOthersGetTheStaleValue() throws Exception {
		SpringCachedCalculator here = new SpringCachedCalculator();
		SpringCachedCalculator there = new SpringCachedCalculator();
		SpringCachedCalculator hereProxy = proxy(here, cacheManager());
		SpringCachedCalculator thereProxy = proxy(there,
				new CacheRegionCacheManager(regions(otherProcessStore(), CacheMetrics.none()), true));
		assertThat(hereProxy.version("fleet")).isEqualTo(1);
		// whichever process regenerates the entry then computes version 2
		there.version("uncached");
		age(store(), entry(Calculator.SHORT_TERM, "[\"fleet\"]"), Duration.ofHours(2));
		AtomicInteger returned = new AtomicInteger();
		Runnable holdUntilTheOthersReturned = () -> await().atMost(DEADLINE)
			.untilAsserted(() -> assertThat(returned.get()).isEqualTo(CALLERS - 1));
		here.whileComputing(holdUntilTheOthersReturned);
		there.whileComputing(holdUntilTheOthersReturned);
		List<Future<Integer>> results = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			SpringCachedCalculator caller = (i % 2 == 0) ? hereProxy : thereProxy;
			results.add(this.executor.submit(() -> {
				int version = caller.version("fleet");
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
		assertThat(here.versions() + there.versions()).isEqualTo(3);
		assertThat(thereProxy.version("fleet")).isEqualTo(hereProxy.version("fleet"));
	}

}

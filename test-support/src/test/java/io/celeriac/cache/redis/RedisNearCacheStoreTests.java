package io.celeriac.cache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.micrometer.MicrometerCacheMetrics;
import io.celeriac.test.cache.CacheStoreContractTests;
import io.celeriac.test.cache.Calculator;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the cache store contract against {@link RedisCacheStore} with a near cache in both
 * regions, and shows what the near cache adds on a real Redis with two clients on
 * separate connections, as two processes would have them: hits from memory, and every
 * write, expiry, region, function or entry invalidation by the other client dropping the
 * copy, within 50 ms at the 99th percentile.
 *
 * @author Celeriac team
 */
@RealServices
class RedisNearCacheStoreTests extends CacheStoreContractTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final String SHORT_LIVED = "short_lived";

	private static RedisCacheConnections connections;

	private final List<RedisCacheStore> stores = new ArrayList<>();

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
	void closeStores() {
		this.stores.forEach(RedisCacheStore::close);
	}

	@Override
	protected CacheStore createStore() {
		this.keyPrefix = connections.newKeyPrefix();
		return nearCachingStore(connections.connectionFactory(), this.keyPrefix);
	}

	private RedisCacheStore nearCachingStore(LettuceConnectionFactory factory, String keyPrefix) {
		RedisCacheStore store = new RedisCacheStore(factory, keyPrefix, Duration.ofSeconds(5), Duration.ofSeconds(1),
				Map.of(Calculator.SHORT_TERM, 100, Calculator.LONG_TERM, 100, SHORT_LIVED, 100));
		this.stores.add(store);
		await().atMost(DEADLINE).until(() -> nearCache(store).tracking());
		return store;
	}

	@Override
	protected void age(CacheStore store, CacheEntryKey key, Duration age) {
		connections.age((RedisCacheStore) store, key, age);
		// another client's write: Redis reports it to the near cache a moment later
		await().atMost(DEADLINE).until(() -> nearCache(store).size(key.region()) == 0);
	}

	@Test
	void aHitAfterTheFirstIsAnsweredFromMemoryAndCountedAsANearHit() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CacheRegions measured = new CacheRegions(store(), regions().settings(), new JsonMapper(),
				new MicrometerCacheMetrics(meters));
		Calculator target = new Calculator();
		Calculator calculator = proxy(target, measured);
		awaitCopies(store(), Calculator.SHORT_TERM, 1, () -> calculator.square(4));
		CacheStatistics before = measured.statistics(Calculator.SHORT_TERM).get(0);
		double nearHitsBefore = nearHits(meters);
		calculator.square(4);
		calculator.square(4);
		assertThat(target.squares()).isOne();
		assertThat(measured.statistics(Calculator.SHORT_TERM)).containsExactly(
				new CacheStatistics(Calculator.SHORT_TERM, "squares", before.hits() + 2, 1, 0, before.nearHits() + 2));
		assertThat(nearHits(meters)).isEqualTo(nearHitsBefore + 2);
		assertThat(meters.get(MicrometerCacheMetrics.GETS)
			.tags("region", "short_term", "namespace", "squares", "result", "hit")
			.counter()
			.count()).isEqualTo(before.hits() + 2);
	}

	private static double nearHits(SimpleMeterRegistry meters) {
		var counter = meters.find(MicrometerCacheMetrics.NEAR_HITS)
			.tags("region", "short_term", "namespace", "squares")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/**
	 * Calls until the region holds the given number of copies: the report of the write
	 * that stored an entry may arrive after the next read and drop its first copy.
	 */
	static void awaitCopies(CacheStore store, String region, int copies, Runnable call) {
		await().atMost(DEADLINE).pollInterval(Duration.ofMillis(5)).until(() -> {
			call.run();
			return nearCache(store).size(region) == copies;
		});
	}

	@Test
	void anotherClientsWriteDropsTheCopy() {
		Clients clients = clients();
		clients.fill(7);
		clients.other().put(Calculator.SHORT_TERM, "squares", new Object[] { 7 }, 50, CacheRegions.Read.UNKNOWN);
		clients.awaitDropped(Calculator.SHORT_TERM);
		assertThat(clients.calculator().square(7)).isEqualTo(50);
		assertThat(clients.target().squares()).isOne();
	}

	@Test
	void anotherClientsRegionInvalidationDropsTheCopies() {
		Clients clients = clients();
		clients.fill(7);
		clients.other().invalidateRegion(Calculator.SHORT_TERM);
		clients.awaitDropped(Calculator.SHORT_TERM);
		assertThat(clients.calculator().square(7)).isEqualTo(49);
		assertThat(clients.target().squares()).isEqualTo(2);
	}

	@Test
	void anotherClientsFunctionInvalidationDropsOnlyThatFunctionsCopies() {
		Clients clients = clients();
		clients.fill(7);
		awaitCopies(clients.store(), Calculator.SHORT_TERM, 2, () -> clients.calculator().cube(2));
		clients.other().invalidateFunction(Calculator.SHORT_TERM, "squares");
		await().atMost(DEADLINE).until(() -> nearCache(clients.store()).size(Calculator.SHORT_TERM) == 1);
		clients.calculator().square(7);
		clients.calculator().cube(2);
		assertThat(clients.target().squares()).isEqualTo(2);
		assertThat(clients.target().cubes()).isOne();
	}

	@Test
	void anotherClientsEntryInvalidationDropsTheCopy() {
		Clients clients = clients();
		clients.fill(7);
		clients.other().invalidateFunction(Calculator.SHORT_TERM, "squares", 7);
		clients.awaitDropped(Calculator.SHORT_TERM);
		clients.calculator().square(7);
		assertThat(clients.target().squares()).isEqualTo(2);
	}

	@Test
	void anEntryPastItsExpiryIsNotAnsweredFromTheCopy() {
		Clients clients = clients();
		long before = System.currentTimeMillis();
		awaitCopies(clients.store(), SHORT_LIVED, 1, () -> assertThat(clients.calculator().version("soon")).isOne());
		// the entry stays in Redis for a day; only its expiry ends the copy's use
		await().atMost(DEADLINE).until(() -> System.currentTimeMillis() > before + 1_000);
		assertThat(clients.calculator().version("soon")).isEqualTo(2);
	}

	@Test
	void anEntryThatRedisExpiresDropsTheCopy() {
		Clients clients = clients(new CacheRegionSettings(Duration.ofMillis(300), Duration.ofMillis(300)));
		awaitCopies(clients.store(), SHORT_LIVED, 1, () -> clients.calculator().version("gone"));
		String entry = clients.store().entryKey(new CacheEntryKey(SHORT_LIVED, "versions", "[\"gone\"]"));
		// Redis expires a key when it finds it expired, by sampling or on access
		await().atMost(DEADLINE)
			.until(() -> connections.sync().exists(entry) == 0 && nearCache(clients.store()).size(SHORT_LIVED) == 0);
		assertThat(clients.calculator().version("gone")).isEqualTo(2);
	}

	@Test
	void anotherClientsWriteIsSeenWithin50MillisecondsAtThe99thPercentile() {
		Clients clients = clients();
		Object[] arguments = { 9 };
		int rounds = 200;
		long[] lags = new long[rounds];
		for (int round = 0; round < rounds; round++) {
			int value = round + 1000;
			clients.other().put(Calculator.SHORT_TERM, "squares", arguments, value - 1, CacheRegions.Read.UNKNOWN);
			await().atMost(DEADLINE).pollInterval(Duration.ofMillis(1)).until(() -> {
				clients.regions().find(Calculator.SHORT_TERM, "squares", arguments, integer(clients.regions()));
				return nearCache(clients.store()).size(Calculator.SHORT_TERM) == 1
						&& read(clients.regions(), arguments) == value - 1;
			});
			long written = System.nanoTime();
			clients.other().put(Calculator.SHORT_TERM, "squares", arguments, value, CacheRegions.Read.UNKNOWN);
			while (read(clients.regions(), arguments) != value) {
				assertThat(System.nanoTime() - written).isLessThan(DEADLINE.toNanos());
				// polls every 50 us, leaving the cores to the thread that receives the
				// report
				LockSupport.parkNanos(50_000);
			}
			lags[round] = System.nanoTime() - written;
		}
		Arrays.sort(lags);
		Duration p99 = Duration.ofNanos(lags[(int) Math.ceil(rounds * 0.99) - 1]);
		System.out.println("Near cache: another client's write seen after (median) "
				+ Duration.ofNanos(lags[rounds / 2]).toNanos() / 1000 + " us, p99 " + p99.toNanos() / 1000 + " us, max "
				+ Duration.ofNanos(lags[rounds - 1]).toNanos() / 1000 + " us");
		assertThat(p99).isLessThan(Duration.ofMillis(50));
	}

	private static int read(CacheRegions regions, Object[] arguments) {
		Object value = regions.find(Calculator.SHORT_TERM, "squares", arguments, integer(regions)).value();
		return (value != null) ? (Integer) value : -1;
	}

	private static tools.jackson.databind.JavaType integer(CacheRegions regions) {
		return regions.valueType(Integer.class);
	}

	static NearCache nearCache(CacheStore store) {
		NearCache nearCache = ((RedisCacheStore) store).nearCache();
		assertThat(nearCache).isNotNull();
		return nearCache;
	}

	private Clients clients() {
		return clients(new CacheRegionSettings(Duration.ofMillis(500), Duration.ofDays(1)));
	}

	/**
	 * Returns this test's client, whose calculator's copies are watched, and another
	 * client with a store of its own on its own connection factory.
	 */
	private Clients clients(CacheRegionSettings shortLived) {
		CacheSettings settings = CacheSettings.of(Map.of(Calculator.SHORT_TERM,
				CacheRegionSettings.expiringAfter(Duration.ofHours(1)), SHORT_LIVED, shortLived));
		RedisCacheStore store = (RedisCacheStore) store();
		CacheRegions regions = new CacheRegions(store, settings, new JsonMapper(), CacheMetrics.none());
		CacheRegions other = new CacheRegions(nearCachingStore(connections.otherConnectionFactory(), this.keyPrefix),
				settings, new JsonMapper(), CacheMetrics.none());
		Calculator target = new ShortLivedCalculator();
		return new Clients(store, regions, other, target, proxy(target, regions));
	}

	/**
	 * Two clients of the same keys.
	 */
	private record Clients(RedisCacheStore store, CacheRegions regions, CacheRegions other, Calculator target,
			Calculator calculator) {

		/**
		 * Computes {@code square(n)}, reads it from Redis until it has a copy, then from
		 * the copy.
		 */
		void fill(int n) {
			awaitCopies(this.store, Calculator.SHORT_TERM, 1, () -> this.calculator.square(n));
			this.calculator.square(n);
			assertThat(this.target.squares()).isOne();
		}

		void awaitDropped(String region) {
			BooleanSupplier dropped = () -> nearCache(this.store).size(region) == 0;
			await().atMost(DEADLINE).until(dropped::getAsBoolean);
		}

	}

	/**
	 * A calculator whose versions live in the short-lived region.
	 */
	static class ShortLivedCalculator extends Calculator {

		@Override
		@io.celeriac.cache.CacheRegion(value = SHORT_LIVED, namespace = "versions")
		public int version(String name) {
			return super.version(name);
		}

	}

}

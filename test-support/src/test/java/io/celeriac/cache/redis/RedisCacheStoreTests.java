package io.celeriac.cache.redis;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.micrometer.MicrometerCacheMetrics;
import io.celeriac.test.cache.Calculator;
import io.celeriac.test.cache.CacheStoreContractTests;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the cache store contract against {@link RedisCacheStore} on a real Redis, and
 * shows what only Redis does: statistics another process reads, and one hash slot per
 * region.
 *
 * @author Celeriac team
 */
@RealServices
class RedisCacheStoreTests extends CacheStoreContractTests {

	private static RedisCacheConnections connections;

	private String keyPrefix;

	@BeforeAll
	static void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		connections = RedisCacheConnections.open(redis, isolation);
	}

	@AfterAll
	static void disconnect() {
		connections.close();
	}

	@Override
	protected CacheStore createStore() {
		this.keyPrefix = connections.newKeyPrefix();
		return new RedisCacheStore(connections.connectionFactory(), this.keyPrefix, Duration.ofSeconds(5));
	}

	@Override
	protected void age(CacheStore store, CacheEntryKey key, Duration age) {
		connections.age((RedisCacheStore) store, key, age);
	}

	@Test
	void valuesAreJsonAfterTheirCreationTime() {
		long before = Long.parseLong(connections.sync().time().get(0)) * 1000;
		calculator().points(2);
		String entry = connections.sync()
			.get(this.keyPrefix + "cache:{long_term}:entry:io.celeriac.test.cache.Calculator.points:[2]");
		assertThat(entry).endsWith(":[{\"x\":0,\"y\":0},{\"x\":1,\"y\":10}]");
		assertThat(Long.parseLong(entry.substring(0, entry.indexOf(':')))).isBetween(before,
				before + Duration.ofMinutes(1).toMillis());
		assertThat(connections.sync()
			.pttl(this.keyPrefix + "cache:{long_term}:entry:io.celeriac.test.cache.Calculator.points:[2]"))
			.isGreaterThan(Duration.ofDays(6).toMillis());
	}

	@Test
	void statisticsAreInMicrometerAndReadableFromAnotherProcessThroughRedis(RedisEndpoint redis) throws Exception {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CacheRegions measured = new CacheRegions(store(), regions().settings(), new JsonMapper(),
				new MicrometerCacheMetrics(meters));
		Calculator calculator = proxy(new Calculator(), measured);
		calculator.square(1);
		calculator.square(1);
		calculator.square(2);
		assertThat(meters.get(MicrometerCacheMetrics.GETS)
			.tags("region", "short_term", "namespace", "squares", "result", "hit")
			.counter()
			.count()).isEqualTo(1);
		assertThat(meters.get(MicrometerCacheMetrics.GETS)
			.tags("region", "short_term", "namespace", "squares", "result", "miss")
			.counter()
			.count()).isEqualTo(2);
		String statisticsKey = this.keyPrefix + "cache:{short_term}:statistics";
		// a hit reaches Redis within the store's flush interval (one second here)
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(connections.sync().hgetall(statisticsKey))
				.containsOnly(Map.entry("hits:squares", "1"), Map.entry("misses:squares", "2")));
		LettuceConnectionFactory otherFactory = RedisCacheConnections.connectionFactory(redis);
		try {
			RedisCacheStore other = new RedisCacheStore(otherFactory, this.keyPrefix, Duration.ofSeconds(5));
			assertThat(other.statistics(Calculator.SHORT_TERM))
				.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, "squares", 1, 2, 0));
		}
		finally {
			otherFactory.destroy();
		}
		File redisCli = new File("/usr/bin/redis-cli");
		if (redisCli.canExecute()) {
			Process process = new ProcessBuilder(redisCli.getPath(), "-h", redis.host(), "-p",
					Integer.toString(redis.port()), "HGETALL", statisticsKey)
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor()).isZero();
			assertThat(output.lines().toList()).containsExactlyInAnyOrder("hits:squares", "1", "misses:squares", "2");
		}
	}

	@Test
	void hitsWaitingForTheirFlushReachRedisWhenTheStoreCloses() {
		String statisticsKey = this.keyPrefix + "cache:{short_term}:statistics";
		try (RedisCacheStore patient = new RedisCacheStore(connections.connectionFactory(), this.keyPrefix,
				Duration.ofSeconds(5), Duration.ofHours(1))) {
			Calculator calculator = proxy(new Calculator(),
					new CacheRegions(patient, regions().settings(), new JsonMapper(), CacheMetrics.none()));
			calculator.square(3);
			calculator.square(3);
			calculator.square(3);
			assertThat(connections.sync().hgetall(statisticsKey)).containsOnly(Map.entry("misses:squares", "1"));
		}
		assertThat(connections.sync().hgetall(statisticsKey)).containsOnly(Map.entry("hits:squares", "2"),
				Map.entry("misses:squares", "1"));
	}

	@Test
	void entriesAndInvalidationTimesInTheEarlierHashLayoutReadAsAbsentAndAreReplaced() {
		String entry = this.keyPrefix + "cache:{short_term}:entry:squares:[4]";
		String invalidated = this.keyPrefix + "cache:{short_term}:invalidated";
		connections.sync().hset(entry, Map.of("v", "999", "c", "1"));
		connections.sync().hset(invalidated, Map.of("*", "1"));
		Calculator target = new Calculator();
		Calculator calculator = proxy(target, regions());
		assertThat(calculator.square(4)).isEqualTo(16);
		assertThat(calculator.square(4)).isEqualTo(16);
		assertThat(target.squares()).isOne();
		assertThat(connections.sync().type(entry)).isEqualTo("string");
		regions().invalidateRegion(Calculator.SHORT_TERM);
		assertThat(connections.sync().type(invalidated)).isEqualTo("string");
		assertThat(calculator.square(4)).isEqualTo(16);
		assertThat(target.squares()).isEqualTo(2);
	}

	@Test
	void everyKeyOfARegionIsInOneHashSlot() {
		calculator().square(1);
		calculator().cube(2);
		calculator().nothing("x");
		regions().invalidateRegion(Calculator.SHORT_TERM);
		calculator().square(1);
		List<String> keys = new ArrayList<>();
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> page = connections.sync()
				.scan(cursor, ScanArgs.Builder.matches(this.keyPrefix + "cache:{short_term}:*").limit(1000));
			keys.addAll(page.getKeys());
			cursor = page;
		}
		while (!cursor.isFinished());
		assertThat(keys).hasSizeGreaterThanOrEqualTo(5);
		Set<Integer> slots = keys.stream().map(SlotHash::getSlot).collect(Collectors.toSet());
		assertThat(slots).hasSize(1);
	}

}

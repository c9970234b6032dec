package io.celeriac.cache.redis;

import java.time.Duration;
import java.util.Map;

import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.test.cache.CacheStoreContractTests;
import io.celeriac.test.cache.Calculator;
import io.celeriac.test.redis.RedisServerProcess;
import io.celeriac.test.services.RedisEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restarts a Redis server of its own (never the shared one) under two clients with a near
 * cache: losing the connection clears the near cache and it is not used until tracking is
 * on again, so a write made while the client was disconnected is never hidden by an old
 * copy.
 *
 * @author Celeriac team
 */
class RedisNearCacheOutageTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private RedisServerProcess server;

	private LettuceConnectionFactory connectionFactory;

	private LettuceConnectionFactory otherConnectionFactory;

	private RedisCacheStore store;

	private RedisCacheStore otherStore;

	@BeforeEach
	void startOwnRedis() {
		this.server = RedisServerProcess.start();
		RedisEndpoint endpoint = new RedisEndpoint("127.0.0.1", this.server.port());
		this.connectionFactory = RedisCacheConnections.connectionFactory(endpoint);
		this.otherConnectionFactory = RedisCacheConnections.connectionFactory(endpoint);
		this.store = new RedisCacheStore(this.connectionFactory, "near:", Duration.ofMillis(300), Duration.ofSeconds(1),
				Map.of(Calculator.SHORT_TERM, 100));
		this.otherStore = new RedisCacheStore(this.otherConnectionFactory, "near:", Duration.ofMillis(300),
				Duration.ofSeconds(1), Map.of(Calculator.SHORT_TERM, 100));
	}

	@AfterEach
	void stopOwnRedis() {
		if (this.store != null) {
			this.store.close();
			this.otherStore.close();
			this.connectionFactory.destroy();
			this.otherConnectionFactory.destroy();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void aRestartClearsTheNearCacheAndAWriteMadeMeanwhileIsRead() {
		CacheSettings settings = CacheSettings
			.of(Map.of(Calculator.SHORT_TERM, CacheRegionSettings.expiringAfter(Duration.ofHours(1))))
			.withFailureBackoff(Duration.ZERO);
		CacheRegions regions = new CacheRegions(this.store, settings, new JsonMapper(), CacheMetrics.none());
		CacheRegions other = new CacheRegions(this.otherStore, settings, new JsonMapper(), CacheMetrics.none());
		Calculator target = new Calculator();
		Calculator calculator = CacheStoreContractTests.proxy(target, regions);
		NearCache nearCache = RedisNearCacheStoreTests.nearCache(this.store);
		await().atMost(DEADLINE).until(nearCache::tracking);
		RedisNearCacheStoreTests.awaitCopies(this.store, Calculator.SHORT_TERM, 1, () -> calculator.square(3));

		this.server.stop();
		await().atMost(DEADLINE).until(() -> !nearCache.tracking() && nearCache.size(Calculator.SHORT_TERM) == 0);
		// Redis is down: the call runs uncached rather than from the dropped copy
		assertThat(calculator.square(3)).isEqualTo(9);
		assertThat(target.squares()).isEqualTo(2);

		this.server.restart();
		// the other client writes while this one may not track yet
		await().atMost(DEADLINE).ignoreExceptions().untilAsserted(() -> {
			other.put(Calculator.SHORT_TERM, "squares", new Object[] { 3 }, 30, CacheRegions.Read.UNKNOWN);
			assertThat(other.find(Calculator.SHORT_TERM, "squares", new Object[] { 3 }, other.valueType(Integer.class))
				.value()).isEqualTo(30);
		});
		await().atMost(DEADLINE).ignoreExceptions().until(() -> calculator.square(3) == 30);
		await().atMost(DEADLINE).until(nearCache::tracking);

		// tracking is on again: the copy is used and another write drops it
		RedisNearCacheStoreTests.awaitCopies(this.store, Calculator.SHORT_TERM, 1,
				() -> assertThat(calculator.square(3)).isEqualTo(30));
		other.put(Calculator.SHORT_TERM, "squares", new Object[] { 3 }, 300, CacheRegions.Read.UNKNOWN);
		await().atMost(DEADLINE).until(() -> nearCache.size(Calculator.SHORT_TERM) == 0);
		assertThat(calculator.square(3)).isEqualTo(300);
	}

}

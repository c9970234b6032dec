package io.celeriac.cache.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.test.cache.CacheStoreContractTests;
import io.celeriac.test.cache.Calculator;
import io.celeriac.test.redis.TcpProxy;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Puts a proxy of its own between a near-caching store and the shared Redis, and silences
 * the store's tracking connection without closing it, as a network that went away without
 * a reset would: the store stops serving its copies within the ping interval plus its
 * timeout, reads another client's write from Redis meanwhile, and uses copies again only
 * once the network is back and Redis tracks changes on a new connection.
 *
 * @author Celeriac team
 */
@RealServices
class RedisNearCacheSilentDropTests {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	private static final Duration PING_INTERVAL = Duration.ofMillis(200);

	/**
	 * Generous over the ping interval plus the timeout, within which the copies must be
	 * out of use.
	 */
	private static final Duration BOUND = Duration.ofSeconds(5);

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private TcpProxy proxy;

	private LettuceConnectionFactory connectionFactory;

	private LettuceConnectionFactory otherConnectionFactory;

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	private String keyPrefix;

	private RedisCacheStore store;

	private RedisCacheStore otherStore;

	@BeforeEach
	void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		this.proxy = TcpProxy.start(redis.host(), redis.port());
		this.connectionFactory = RedisCacheConnections
			.connectionFactory(new RedisEndpoint("127.0.0.1", this.proxy.port()));
		this.otherConnectionFactory = RedisCacheConnections.connectionFactory(redis);
		this.client = RedisClient.create(redis.uri());
		this.connection = this.client.connect();
		this.keyPrefix = isolation.redisKeyPrefix() + UUID.randomUUID().toString().substring(0, 8) + ":";
	}

	@AfterEach
	void disconnect() {
		this.proxy.forward();
		if (this.store != null) {
			this.store.close();
		}
		if (this.otherStore != null) {
			this.otherStore.close();
		}
		this.connectionFactory.destroy();
		this.otherConnectionFactory.destroy();
		this.proxy.close();
		this.connection.close();
		this.client.shutdown();
	}

	@Test
	void aSilentlyLostTrackingConnectionStopsTheCopiesFromBeingServed() {
		this.store = new RedisCacheStore(this.connectionFactory, this.keyPrefix, TIMEOUT, Duration.ofSeconds(1),
				Map.of(Calculator.SHORT_TERM, 100), PING_INTERVAL);
		this.otherStore = new RedisCacheStore(this.otherConnectionFactory, this.keyPrefix, TIMEOUT);
		CacheSettings settings = CacheSettings
			.of(Map.of(Calculator.SHORT_TERM, CacheRegionSettings.expiringAfter(Duration.ofHours(1))));
		CacheRegions regions = new CacheRegions(this.store, settings, new JsonMapper(), CacheMetrics.none());
		CacheRegions other = new CacheRegions(this.otherStore, settings, new JsonMapper(), CacheMetrics.none());
		Calculator target = new Calculator();
		Calculator calculator = CacheStoreContractTests.proxy(target, regions);
		NearCache nearCache = RedisNearCacheStoreTests.nearCache(this.store);
		Set<Integer> tracking = await().atMost(DEADLINE)
			.until(this::trackingConnectionPorts, (ports) -> ports.size() == 1 && nearCache.tracking());
		RedisNearCacheStoreTests.awaitCopies(this.store, Calculator.SHORT_TERM, 1, () -> calculator.square(3));

		this.proxy.silence(tracking);
		other.put(Calculator.SHORT_TERM, "squares", new Object[] { 3 }, 30, CacheRegions.Read.UNKNOWN);

		// Redis's report of that write is held back: the store finds out by the PING
		await().atMost(BOUND).until(() -> calculator.square(3) == 30);
		assertThat(nearCache.tracking()).isFalse();
		assertThat(target.squares()).isOne();
		// a new connection cannot confirm tracking while the network is silent, so reads
		// keep going to Redis
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> calculator.square(3) == 30 && !nearCache.tracking()
					&& nearCache.size(Calculator.SHORT_TERM) == 0);

		this.proxy.forward();
		await().atMost(DEADLINE).until(nearCache::tracking);
		RedisNearCacheStoreTests.awaitCopies(this.store, Calculator.SHORT_TERM, 1,
				() -> assertThat(calculator.square(3)).isEqualTo(30));
		// and the new connection receives the reports
		other.put(Calculator.SHORT_TERM, "squares", new Object[] { 3 }, 300, CacheRegions.Read.UNKNOWN);
		await().atMost(DEADLINE).until(() -> nearCache.size(Calculator.SHORT_TERM) == 0);
		assertThat(calculator.square(3)).isEqualTo(300);
		assertThat(target.squares()).isOne();
	}

	@Test
	void aPingIntervalThatIsNotPositiveIsRefused() {
		assertThatExceptionOfType(CacheConfigurationException.class)
			.isThrownBy(() -> new RedisCacheStore(this.connectionFactory, this.keyPrefix, TIMEOUT,
					Duration.ofSeconds(1), Map.of(Calculator.SHORT_TERM, 100), Duration.ZERO))
			.withMessageContaining("ping interval (celeriac.cache.near-cache-ping-interval) must be positive");
	}

	/**
	 * Returns the proxy's server-side ports of the connections through it that Redis
	 * lists with tracking on.
	 */
	private Set<Integer> trackingConnectionPorts() {
		List<Integer> proxied = this.proxy.serverSidePorts();
		return this.connection.sync().clientList().lines().map((line) -> {
			Map<String, String> fields = Arrays.stream(line.split(" "))
				.filter((field) -> field.contains("="))
				.collect(Collectors.toMap((field) -> field.substring(0, field.indexOf('=')),
						(field) -> field.substring(field.indexOf('=') + 1), (first, second) -> first));
			String addr = fields.getOrDefault("addr", "");
			String port = addr.substring(addr.lastIndexOf(':') + 1);
			return (fields.getOrDefault("flags", "").contains("t") && port.matches("[0-9]+")
					&& proxied.contains(Integer.parseInt(port))) ? Integer.parseInt(port) : -1;
		}).filter((port) -> port > 0).collect(Collectors.toSet());
	}

}

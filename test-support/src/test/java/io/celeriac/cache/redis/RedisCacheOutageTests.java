package io.celeriac.cache.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.cache.CacheStoreException;
import io.celeriac.cache.micrometer.MicrometerCacheMetrics;
import io.celeriac.test.cache.Calculator;
import io.celeriac.cache.spring.CacheRegionCacheManager;
import io.celeriac.test.cache.CacheStoreContractTests;
import io.celeriac.test.cache.SpringCacheContractTests;
import io.celeriac.test.cache.SpringCachedCalculator;
import io.celeriac.test.services.RedisEndpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stops or freezes a Redis server of its own (never the shared one) while cached calls go
 * on: every call still answers, uncached, and a metric says so.
 *
 * @author Celeriac team
 */
class RedisCacheOutageTests {

	private static final File REDIS_SERVER = new File("/usr/bin/redis-server");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private Process server;

	private LettuceConnectionFactory connectionFactory;

	private Calculator target;

	private Calculator calculator;

	private CacheRegions regions;

	@BeforeEach
	void startOwnRedis() throws Exception {
		assumeTrue(REDIS_SERVER.canExecute(), "No redis-server binary at " + REDIS_SERVER + "; skipping");
		int port = freePort();
		this.server = new ProcessBuilder(REDIS_SERVER.getPath(), "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		this.connectionFactory = RedisCacheConnections.connectionFactory(new RedisEndpoint("127.0.0.1", port));
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
			try (var connection = this.connectionFactory.getConnection()) {
				return "PONG".equals(connection.ping());
			}
		});
		RedisCacheStore store = new RedisCacheStore(this.connectionFactory, "outage:", Duration.ofMillis(300));
		CacheSettings settings = CacheSettings
			.of(Map.of(Calculator.SHORT_TERM, CacheRegionSettings.expiringAfter(Duration.ofHours(1))))
			.withFailureBackoff(Duration.ofMinutes(5));
		this.regions = new CacheRegions(store, settings, new JsonMapper(), new MicrometerCacheMetrics(this.meters));
		this.target = new Calculator();
		this.calculator = CacheStoreContractTests.proxy(this.target, this.regions);
	}

	@AfterEach
	void stopOwnRedis() throws Exception {
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
		}
		if (this.server != null) {
			signal("-CONT");
			this.server.destroyForcibly().waitFor();
		}
	}

	@Test
	void callsStillAnswerWhenRedisIsStoppedMidTest() throws Exception {
		assertThat(this.calculator.square(2)).isEqualTo(4);
		assertThat(this.calculator.square(2)).isEqualTo(4);
		assertThat(this.target.squares()).isEqualTo(1);
		this.server.destroyForcibly().waitFor();
		assertThat(this.calculator.square(2)).isEqualTo(4);
		assertThat(this.target.squares()).isEqualTo(2);
		assertThat(uncached("failure")).isEqualTo(1);
		assertThat(this.calculator.square(3)).isEqualTo(9);
		assertThat(this.target.squares()).isEqualTo(3);
		assertThat(uncached("backoff")).isEqualTo(1);
		assertThatExceptionOfType(CacheStoreException.class)
			.isThrownBy(() -> this.regions.invalidateRegion(Calculator.SHORT_TERM));
	}

	@Test
	void springCacheCallsStillAnswerWhenRedisIsStoppedMidTest() throws Exception {
		SpringCachedCalculator target = new SpringCachedCalculator();
		SpringCachedCalculator calculator = SpringCacheContractTests.proxy(target,
				new CacheRegionCacheManager(this.regions, true));
		assertThat(calculator.square(2)).isEqualTo(4);
		assertThat(calculator.square(2)).isEqualTo(4);
		assertThat(calculator.version("sync")).isEqualTo(1);
		assertThat(calculator.version("sync")).isEqualTo(1);
		assertThat(target.squares()).isEqualTo(1);
		assertThat(target.versions()).isEqualTo(1);
		this.server.destroyForcibly().waitFor();
		assertThat(calculator.square(2)).isEqualTo(4);
		assertThat(target.squares()).isEqualTo(2);
		assertThat(uncached("failure")).isEqualTo(1);
		assertThat(calculator.version("sync")).isEqualTo(2);
		assertThat(target.versions()).isEqualTo(2);
		// the failed lookup started the backoff: the put after it and the next call leave
		// Redis alone
		assertThat(uncached("backoff")).isEqualTo(1);
	}

	@Test
	void callsRunUncachedWhenRedisIsSlowerThanTheTimeout() throws Exception {
		assertThat(this.calculator.square(5)).isEqualTo(25);
		signal("-STOP");
		assertThat(this.calculator.square(5)).isEqualTo(25);
		assertThat(this.target.squares()).isEqualTo(2);
		assertThat(uncached("failure")).isEqualTo(1);
		signal("-CONT");
	}

	private double uncached(String reason) {
		var counter = this.meters.find(MicrometerCacheMetrics.UNCACHED).tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private void signal(String signal) throws IOException, InterruptedException {
		if (this.server.isAlive()) {
			Process kill = new ProcessBuilder("kill", signal, Long.toString(this.server.pid())).inheritIO().start();
			assertThat(kill.waitFor()).isZero();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

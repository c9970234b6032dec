package io.celeriac.autoconfigure.cache;

import java.time.Duration;
import java.util.List;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegionAdvisor;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.memory.InMemoryCacheStore;
import io.celeriac.cache.micrometer.MicrometerCacheMetrics;
import io.celeriac.cache.redis.RedisCacheStore;
import io.celeriac.test.cache.Calculator;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CacheRegionAutoConfiguration}.
 *
 * @author Celeriac team
 */
@RealServices
class CacheRegionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				CeleriacAutoConfiguration.class, CacheRegionAutoConfiguration.class))
		.withUserConfiguration(CalculatorConfiguration.class)
		.withPropertyValues("celeriac.cache.regions.short_term.expires=1m",
				"celeriac.cache.regions.long_term.expires=1h", "celeriac.cache.regions.long_term.redis-expiration=2d");

	@Test
	void memoryIsTheDefaultAndCachedMethodsAreProxied() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CacheRegions.class).hasSingleBean(CacheRegionAdvisor.class);
			assertThat(context.getBean(CacheStore.class)).isInstanceOf(InMemoryCacheStore.class);
			Calculator calculator = context.getBean(Calculator.class);
			assertThat(AopUtils.isAopProxy(calculator)).isTrue();
			calculator.square(3);
			calculator.square(3);
			assertThat(calculator.squares()).isEqualTo(1);
		});
	}

	@Test
	void regionsAreBoundFromTheirProperties() {
		this.contextRunner.run((context) -> {
			CacheRegions regions = context.getBean(CacheRegions.class);
			assertThat(regions.settings().regions()).containsOnlyKeys("short_term", "long_term");
			assertThat(regions.region("short_term").expires()).isEqualTo(Duration.ofMinutes(1));
			assertThat(regions.region("short_term").storeExpiration()).isEqualTo(Duration.ofDays(7));
			assertThat(regions.region("long_term").storeExpiration()).isEqualTo(Duration.ofDays(2));
		});
	}

	@Test
	void redisIsChosenWhenRedisIsConfiguredAndKeepsEntriesThere(RedisEndpoint redis, ServiceIsolation isolation) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.redis.key-prefix=" + isolation.redisKeyPrefix())
			.run((context) -> {
				assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisCacheStore.class);
				Calculator calculator = context.getBean(Calculator.class);
				calculator.cube(4);
				calculator.cube(4);
				assertThat(calculator.cubes()).isEqualTo(1);
				assertThat(context.getBean(CacheRegions.class).statistics(Calculator.SHORT_TERM))
					.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, "cubes", 1, 1, 0));
			});
	}

	@Test
	void aRegionWithItsNearCacheEnabledAnswersHitsFromMemory(RedisEndpoint redis, ServiceIsolation isolation) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.redis.key-prefix=" + isolation.redisKeyPrefix(),
					"celeriac.cache.regions.short_term.near-cache.enabled=true",
					"celeriac.cache.regions.short_term.near-cache.max-entries=50")
			.run((context) -> {
				Calculator calculator = context.getBean(Calculator.class);
				CacheRegions regions = context.getBean(CacheRegions.class);
				// a near hit needs tracking on and a copy, both a moment after the first
				// call
				await().atMost(Duration.ofSeconds(10))
					.pollInterval(Duration.ofMillis(10))
					.until(() -> calculator.cube(5) == 125
							&& regions.statistics(Calculator.SHORT_TERM).get(0).nearHits() > 0);
				assertThat(calculator.cubes()).isEqualTo(1);
			});
	}

	@Test
	void aUserCacheStoreWins() {
		this.contextRunner.withBean("myStore", CacheStore.class, () -> new InMemoryCacheStore(5))
			.run((context) -> assertThat(context).getBean(CacheStore.class).isSameAs(context.getBean("myStore")));
	}

	@Test
	void withoutSpringDataRedisTheMemoryStoreIsUsed() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> assertThat(context.getBean(CacheStore.class)).isInstanceOf(InMemoryCacheStore.class));
	}

	@Test
	void metricsGoToMicrometerWhenAMeterRegistryExists() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context.getBean(CacheMetrics.class)).isInstanceOf(MicrometerCacheMetrics.class);
			Calculator calculator = context.getBean(Calculator.class);
			calculator.square(2);
			calculator.square(2);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(MicrometerCacheMetrics.GETS)
				.tags("region", "short_term", "namespace", "squares", "result", "hit")
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get(MicrometerCacheMetrics.GETS).tag("result", "miss").counter().count()).isEqualTo(1);
		});
	}

	@Test
	void withoutMicrometerNothingIsMeasuredAndCachingStillWorks() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(CacheMetrics.class);
			Calculator calculator = context.getBean(Calculator.class);
			calculator.square(2);
			calculator.square(2);
			assertThat(calculator.squares()).isEqualTo(1);
		});
	}

	@Test
	void statisticsCanBeTurnedOff() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("celeriac.cache.statistics=false")
			.run((context) -> {
				Calculator calculator = context.getBean(Calculator.class);
				calculator.square(2);
				calculator.square(2);
				assertThat(calculator.squares()).isEqualTo(1);
				assertThat(context.getBean(MeterRegistry.class).find(MicrometerCacheMetrics.GETS).counters()).isEmpty();
				List<CacheStatistics> statistics = context.getBean(CacheRegions.class).statistics();
				assertThat(statistics).isEmpty();
			});
	}

	@Test
	void cachingCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("celeriac.cache.enabled=false").run((context) -> {
			Calculator calculator = context.getBean(Calculator.class);
			calculator.square(2);
			calculator.square(2);
			assertThat(calculator.squares()).isEqualTo(2);
		});
	}

	@Test
	void theNearCachePingIntervalReachesTheRedisStore(RedisEndpoint redis, ServiceIsolation isolation) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.redis.key-prefix=" + isolation.redisKeyPrefix(),
					"celeriac.cache.regions.short_term.near-cache.enabled=true",
					"celeriac.cache.near-cache-ping-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(CacheConfigurationException.class)
				.hasMessageContaining("celeriac.cache.near-cache-ping-interval"));
	}

	@Test
	void aRegionWithoutAnExpiryStopsStartupWithAClearMessage() {
		this.contextRunner.withPropertyValues("celeriac.cache.regions.broken.redis-expiration=1d")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(CacheConfigurationException.class)
				.hasMessageContaining("celeriac.cache.regions.broken.expires"));
	}

	@Configuration(proxyBeanMethods = false)
	static class CalculatorConfiguration {

		@Bean
		Calculator calculator() {
			return new Calculator();
		}

	}

}

package io.celeriac.autoconfigure.cache;

import java.util.List;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.redis.RedisCacheStore;
import io.celeriac.cache.spring.CacheRegionCache;
import io.celeriac.cache.spring.CacheRegionCacheManager;
import io.celeriac.cache.spring.CacheRegionCacheResolver;
import io.celeriac.test.cache.Calculator;
import io.celeriac.test.cache.SpringCachedCalculator;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringCacheAutoConfiguration}, beside Spring Boot's own
 * {@link CacheAutoConfiguration}.
 *
 * @author Celeriac team
 */
@RealServices
class SpringCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				CeleriacAutoConfiguration.class, CacheRegionAutoConfiguration.class, SpringCacheAutoConfiguration.class,
				CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withPropertyValues("celeriac.cache.regions.short_term.expires=1m",
				"celeriac.cache.regions.long_term.expires=1h");

	@Test
	void isOffByDefaultAndSpringBootsCacheManagerIsUsed() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CacheManager.class)
				.doesNotHaveBean(CacheRegionCacheManager.class)
				.doesNotHaveBean(CacheRegionCacheResolver.class)
				.doesNotHaveBean(CachingConfigurer.class);
			// Spring Data Redis is on the class path, so Spring Boot chooses its Redis
			// cache
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(RedisCacheManager.class);
		});
	}

	@Test
	void whenEnabledTheCachesAreTheRegionsAndSpringBootsCacheManagerBacksOff() {
		this.contextRunner.withPropertyValues("celeriac.cache.spring-cache.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(CacheManager.class)
				.hasSingleBean(CacheRegionCacheResolver.class)
				.hasSingleBean(CachingConfigurer.class);
			CacheRegionCacheManager cacheManager = context.getBean(CacheRegionCacheManager.class);
			assertThat(cacheManager.getCacheNames()).containsExactly(Calculator.LONG_TERM, Calculator.SHORT_TERM);
			assertThat(cacheManager.getCache(Calculator.SHORT_TERM).isAllowNullValues()).isTrue();
			SpringCachedCalculator calculator = context.getBean(SpringCachedCalculator.class);
			calculator.square(3);
			calculator.square(3);
			assertThat(calculator.squares()).isOne();
			List<Calculator.Point> computed = calculator.points(2);
			assertThat(calculator.points(2)).isEqualTo(computed).first().isInstanceOf(Calculator.Point.class);
			assertThat(context.getBean(CacheRegions.class).statistics(Calculator.SHORT_TERM))
				.containsExactly(new CacheStatistics(Calculator.SHORT_TERM, CacheRegionCache.NAMESPACE, 1, 1, 0));
		});
	}

	@Test
	void nullValuesCanBeRefused() {
		this.contextRunner
			.withPropertyValues("celeriac.cache.spring-cache.enabled=true",
					"celeriac.cache.spring-cache.allow-null-values=false")
			.run((context) -> assertThat(
					context.getBean(CacheRegionCacheManager.class).getCache(Calculator.SHORT_TERM).isAllowNullValues())
				.isFalse());
	}

	@Test
	void aUserCacheManagerWins() {
		this.contextRunner.withPropertyValues("celeriac.cache.spring-cache.enabled=true")
			.withBean("myCacheManager", CacheManager.class, ConcurrentMapCacheManager::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheManager.class)
					.doesNotHaveBean(CacheRegionCacheResolver.class)
					.doesNotHaveBean(CachingConfigurer.class);
				assertThat(context.getBean(CacheManager.class)).isSameAs(context.getBean("myCacheManager"));
			});
	}

	@Test
	void aUserCachingConfigurerWins() {
		CachingConfigurer own = new CachingConfigurer() {
		};
		this.contextRunner.withPropertyValues("celeriac.cache.spring-cache.enabled=true")
			.withBean("myCachingConfigurer", CachingConfigurer.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheRegionCacheManager.class);
				assertThat(context.getBean(CachingConfigurer.class)).isSameAs(own);
			});
	}

	@Test
	void withoutSpringsCacheAbstractionNothingIsDefined() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CeleriacAutoConfiguration.class,
					CacheRegionAutoConfiguration.class, SpringCacheAutoConfiguration.class))
			.withPropertyValues("celeriac.cache.regions.short_term.expires=1m",
					"celeriac.cache.spring-cache.enabled=true")
			.withClassLoader(new FilteredClassLoader(CacheManager.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CacheRegionCacheManager.class)
				.doesNotHaveBean(CacheRegionCacheResolver.class)
				.hasSingleBean(CacheRegions.class));
	}

	@Test
	void onRedisTheCachesAreShared(RedisEndpoint redis, ServiceIsolation isolation) {
		this.contextRunner
			.withPropertyValues("celeriac.cache.spring-cache.enabled=true", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(), "celeriac.redis.key-prefix=" + isolation.redisKeyPrefix())
			.run((context) -> {
				assertThat(context.getBean(CacheRegionCacheManager.class).regions())
					.isSameAs(context.getBean(CacheRegions.class));
				assertThat(context.getBean(CacheStore.class)).isInstanceOf(RedisCacheStore.class);
				SpringCachedCalculator calculator = context.getBean(SpringCachedCalculator.class);
				calculator.label("acme", 2024);
				assertThat(calculator.label("acme", 2024)).isEqualTo("acme/2024");
				assertThat(calculator.labels()).isOne();
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		SpringCachedCalculator springCachedCalculator() {
			return new SpringCachedCalculator();
		}

	}

}

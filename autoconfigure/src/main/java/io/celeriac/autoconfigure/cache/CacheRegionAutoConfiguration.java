package io.celeriac.autoconfigure.cache;

import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegionAdvisor;
import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.memory.InMemoryCacheStore;
import io.celeriac.cache.micrometer.MicrometerCacheMetrics;
import io.celeriac.cache.redis.RedisCacheStore;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for cache regions: the
 * {@link CacheStore} of the chosen backend ({@code celeriac.cache.type}), the
 * {@link CacheRegions} configured by {@code celeriac.cache.*}, Micrometer metrics when a
 * {@link MeterRegistry} bean exists, and the advisor that makes
 * {@code @CacheRegion}/{@code @CacheRegionEvict} methods work. Values are written with
 * the application's {@link JsonMapper} when there is one.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = CeleriacAutoConfiguration.class)
@ConditionalOnClass(CacheRegions.class)
@EnableConfigurationProperties({ CacheProperties.class, RedisProperties.class })
public final class CacheRegionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CacheRegions cacheRegions(CacheStore cacheStore, CacheProperties properties, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<CacheMetrics> cacheMetrics) {
		return new CacheRegions(cacheStore, settings(properties), jsonMapper.getIfAvailable(JsonMapper::new),
				cacheMetrics.getIfAvailable(CacheMetrics::none));
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static CacheRegionAdvisor cacheRegionAdvisor(ObjectProvider<CacheRegions> cacheRegions) {
		return new CacheRegionAdvisor(SingletonSupplier.of(cacheRegions::getObject));
	}

	private static CacheSettings settings(CacheProperties cache) {
		Map<String, CacheRegionSettings> regions = new LinkedHashMap<>();
		cache.getRegions().forEach((name, region) -> {
			if (region.getExpires() == null) {
				throw new CacheConfigurationException(
						"Cache region '" + name + "' needs celeriac.cache.regions." + name + ".expires");
			}
			try {
				regions.put(name, new CacheRegionSettings(region.getExpires(), region.getRedisExpiration()));
			}
			catch (IllegalArgumentException ex) {
				throw new CacheConfigurationException("Cache region '" + name + "': " + ex.getMessage(), ex);
			}
		});
		return new CacheSettings(cache.isEnabled(), cache.isStatistics(), cache.getColdMissWait(),
				cache.getLockExpires(), cache.getFailureBackoff(), regions);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.CACHE, value = "memory")
	static class InMemoryCacheStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CacheStore cacheStore(CacheProperties properties) {
			return new InMemoryCacheStore(properties.getMemory().getMaximumEntries());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = { RedisConnectionFactory.class, RedisCacheStore.class },
			name = "io.lettuce.core.RedisClient")
	@ConditionalOnBackend(capability = Capability.CACHE, value = "redis")
	static class RedisCacheStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CacheStore cacheStore(RedisConnectionFactory redisConnectionFactory, CacheProperties cacheProperties,
				RedisProperties redisProperties) {
			Map<String, Integer> nearCacheEntries = new LinkedHashMap<>();
			cacheProperties.getRegions().forEach((name, region) -> {
				if (region.getNearCache().isEnabled()) {
					nearCacheEntries.put(name, region.getNearCache().getMaxEntries());
				}
			});
			return new RedisCacheStore(redisConnectionFactory, redisProperties.getKeyPrefix(),
					cacheProperties.getRedisTimeout(), cacheProperties.getStatisticsFlushInterval(), nearCacheEntries,
					cacheProperties.getNearCachePingInterval());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MicrometerCacheMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CacheMetrics cacheMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
			MeterRegistry registry = meterRegistry.getIfAvailable();
			return (registry != null) ? new MicrometerCacheMetrics(registry) : CacheMetrics.none();
		}

	}

}

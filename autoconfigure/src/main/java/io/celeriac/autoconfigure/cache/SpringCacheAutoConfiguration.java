package io.celeriac.autoconfigure.cache;

import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.spring.CacheRegionCacheManager;
import io.celeriac.cache.spring.CacheRegionCacheResolver;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for Spring's cache abstraction on
 * cache regions, when {@code celeriac.cache.spring-cache.enabled} is {@code true}: a
 * {@link CacheRegionCacheManager} whose caches are the configured regions, and a
 * {@link CachingConfigurer} whose {@link CacheRegionCacheResolver} reads values back as
 * each cached method's return type. It runs before Spring Boot's cache
 * auto-configuration, which then backs off; an application's own {@link CacheManager}
 * wins over both.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = CacheRegionAutoConfiguration.class,
		beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass({ CacheManager.class, CacheRegions.class })
@ConditionalOnBooleanProperty("celeriac.cache.spring-cache.enabled")
@ConditionalOnBean(CacheRegions.class)
@EnableConfigurationProperties(CacheProperties.class)
public final class SpringCacheAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(CacheManager.class)
	CacheRegionCacheManager cacheManager(CacheRegions cacheRegions, CacheProperties properties) {
		return new CacheRegionCacheManager(cacheRegions, properties.getSpringCache().isAllowNullValues());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(CacheRegionCacheManager.class)
	CacheRegionCacheResolver cacheRegionCacheResolver(CacheRegionCacheManager cacheManager) {
		return new CacheRegionCacheResolver(cacheManager);
	}

	@Bean
	@ConditionalOnMissingBean(CachingConfigurer.class)
	@ConditionalOnBean(CacheRegionCacheResolver.class)
	CachingConfigurer cacheRegionCachingConfigurer(CacheRegionCacheResolver cacheRegionCacheResolver) {
		return new CachingConfigurer() {

			@Override
			public CacheResolver cacheResolver() {
				return cacheRegionCacheResolver;
			}

		};
	}

}

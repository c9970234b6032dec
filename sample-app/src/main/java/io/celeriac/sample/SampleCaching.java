package io.celeriac.sample;

import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;

/**
 * Turns Spring's cache annotations on; with {@code celeriac.cache.spring-cache.enabled},
 * their caches are the cache regions.
 *
 * @author Celeriac team
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
class SampleCaching {

}

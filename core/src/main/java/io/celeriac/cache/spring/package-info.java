/**
 * Spring's cache abstraction on cache regions: a
 * {@link org.springframework.cache.CacheManager} whose caches are the configured regions,
 * so that {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict} get the regions'
 * expiry, herd protection, invalidation and statistics.
 */
@NullMarked
package io.celeriac.cache.spring;

import org.jspecify.annotations.NullMarked;

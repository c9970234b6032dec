/**
 * Cache regions: {@link io.celeriac.cache.CacheRegion @CacheRegion} methods whose results
 * are kept as JSON in a {@link io.celeriac.cache.CacheStore}, with expiry per region,
 * lazy region and function invalidation, hit/miss/stale statistics, and a write lock that
 * lets one caller regenerate an entry while the others are served.
 */
@NullMarked
package io.celeriac.cache;

import org.jspecify.annotations.NullMarked;

/**
 * The contract every {@link io.celeriac.cache.CacheStore} passes, run through
 * {@link io.celeriac.cache.CacheRegions} and {@code @CacheRegion} proxies, and through
 * Spring's cache annotations on the regions' cache manager.
 */
@NullMarked
package io.celeriac.test.cache;

import org.jspecify.annotations.NullMarked;

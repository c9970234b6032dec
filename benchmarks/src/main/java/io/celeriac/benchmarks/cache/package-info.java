/**
 * Benchmarks of cache regions against a raw Lettuce GET and Spring's {@code @Cacheable}
 * on Redis.
 */
@NullMarked
package io.celeriac.benchmarks.cache;

import org.jspecify.annotations.NullMarked;

/**
 * The Redis broker against raw Lettuce commands.
 */
@NullMarked
package io.celeriac.benchmarks.redis;

import org.jspecify.annotations.NullMarked;

/**
 * Benchmarks of cached operations: the hit path of {@code getOrDelegate} on Redis against
 * a raw Lettuce GET.
 */
@NullMarked
package io.celeriac.benchmarks.processing;

import org.jspecify.annotations.NullMarked;

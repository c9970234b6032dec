/**
 * Benchmarks of the Redis lock against Redisson's {@code RLock}, measured in one run.
 */
@NullMarked
package io.celeriac.benchmarks.lock;

import org.jspecify.annotations.NullMarked;

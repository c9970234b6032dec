/**
 * Contract tests of cached operations: {@link io.celeriac.processing.OperationStore}
 * backends, and {@link io.celeriac.processing.CachedOperations} with a broker and a
 * worker.
 */
@NullMarked
package io.celeriac.test.processing;

import org.jspecify.annotations.NullMarked;

/**
 * Cached operations on URIs: {@link io.celeriac.processing.Operation @Operation} methods
 * whose result for a URI is computed once by a worker, kept in a store, and handed to
 * every caller who asked while it was being computed, through one callback
 * ({@link io.celeriac.processing.CachedOperations}).
 */
@NullMarked
package io.celeriac.processing;

import org.jspecify.annotations.NullMarked;

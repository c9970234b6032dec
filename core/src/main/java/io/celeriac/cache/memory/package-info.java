/**
 * The in-memory cache store, for applications and tests with no Redis.
 */
@NullMarked
package io.celeriac.cache.memory;

import org.jspecify.annotations.NullMarked;

/**
 * The Redis {@link io.celeriac.processing.OperationStore}: one Lua script per step, the
 * keys of each request in one hash slot.
 */
@NullMarked
package io.celeriac.processing.redis;

import org.jspecify.annotations.NullMarked;

/**
 * The Redis {@link io.celeriac.debounce.Debouncer}: one Lua script, correct across any
 * number of producer processes.
 */
@NullMarked
package io.celeriac.debounce.redis;

import org.jspecify.annotations.NullMarked;

/**
 * The in-memory {@link io.celeriac.delay.DelayedTaskStore}.
 */
@NullMarked
package io.celeriac.delay.memory;

import org.jspecify.annotations.NullMarked;

/**
 * The in-memory {@link io.celeriac.debounce.Debouncer}, for one process.
 */
@NullMarked
package io.celeriac.debounce.memory;

import org.jspecify.annotations.NullMarked;

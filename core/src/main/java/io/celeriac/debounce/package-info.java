/**
 * Debouncing on the producer: identical calls (same task, same arguments) within a window
 * are sent at most twice, once at once and once at the window's end.
 */
@NullMarked
package io.celeriac.debounce;

import org.jspecify.annotations.NullMarked;

/**
 * The in-memory schedule store, correct within one JVM.
 */
@NullMarked
package io.celeriac.schedule.memory;

import org.jspecify.annotations.NullMarked;

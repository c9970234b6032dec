/**
 * The in-memory backend of distributed locks, correct within one JVM.
 */
@NullMarked
package io.celeriac.lock.memory;

import org.jspecify.annotations.NullMarked;

/**
 * The in-memory backend of limiters, correct within one JVM.
 */
@NullMarked
package io.celeriac.limit.memory;

import org.jspecify.annotations.NullMarked;

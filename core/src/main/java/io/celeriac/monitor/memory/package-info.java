/**
 * The task table inside one JVM.
 */
@NullMarked
package io.celeriac.monitor.memory;

import org.jspecify.annotations.NullMarked;

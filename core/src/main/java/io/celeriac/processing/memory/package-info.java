/**
 * The in-memory {@link io.celeriac.processing.OperationStore}, for one JVM.
 */
@NullMarked
package io.celeriac.processing.memory;

import org.jspecify.annotations.NullMarked;

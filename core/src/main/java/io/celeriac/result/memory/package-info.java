/**
 * A result store inside one JVM.
 */
@NullMarked
package io.celeriac.result.memory;

import org.jspecify.annotations.NullMarked;

/**
 * Auto-configuration of limiters, rate limiters and the {@code @Limited} annotation.
 */
@NullMarked
package io.celeriac.autoconfigure.limit;

import org.jspecify.annotations.NullMarked;

/**
 * Auto-configuration of distributed locks and the {@code @Locked} annotation.
 */
@NullMarked
package io.celeriac.autoconfigure.lock;

import org.jspecify.annotations.NullMarked;

/**
 * The {@link io.celeriac.revoke.RevokedTaskStore} in this JVM.
 */
@NullMarked
package io.celeriac.revoke.memory;

import org.jspecify.annotations.NullMarked;

/**
 * The contract every {@link io.celeriac.revoke.RevokedTaskStore} backend passes.
 */
@NullMarked
package io.celeriac.test.revoke;

import org.jspecify.annotations.NullMarked;

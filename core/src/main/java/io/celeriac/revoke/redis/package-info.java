/**
 * The {@link io.celeriac.revoke.RevokedTaskStore} on Redis.
 */
@NullMarked
package io.celeriac.revoke.redis;

import org.jspecify.annotations.NullMarked;

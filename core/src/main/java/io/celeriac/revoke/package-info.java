/**
 * Revoked task ids, Celery's {@code --statedb}: the
 * {@link io.celeriac.revoke.RevokedTaskStore} SPI keeps the ids revoked by {@code revoke}
 * commands, bounded by count and age as Celery's {@code LimitedSet}, so that a worker
 * started again still refuses them.
 */
@NullMarked
package io.celeriac.revoke;

import org.jspecify.annotations.NullMarked;

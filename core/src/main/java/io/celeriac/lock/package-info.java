/**
 * Distributed locks: the {@link io.celeriac.lock.DistributedLock} SPI, its held-lock
 * handle, the {@link io.celeriac.lock.Locked @Locked} method annotation and what every
 * backend shares.
 */
@NullMarked
package io.celeriac.lock;

import org.jspecify.annotations.NullMarked;

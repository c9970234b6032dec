/**
 * The contract every {@link io.celeriac.lock.DistributedLock} backend passes.
 */
@NullMarked
package io.celeriac.test.lock;

import org.jspecify.annotations.NullMarked;

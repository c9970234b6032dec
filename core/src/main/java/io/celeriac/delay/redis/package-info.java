/**
 * The Redis sorted-set {@link io.celeriac.delay.DelayedTaskStore}.
 */
@NullMarked
package io.celeriac.delay.redis;

import org.jspecify.annotations.NullMarked;

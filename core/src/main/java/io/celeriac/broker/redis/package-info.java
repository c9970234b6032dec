/**
 * The Redis broker: the topology emulated with declared bindings, and reliable queues
 * whose deliveries carry a visibility deadline, on Spring Data Redis.
 */
@NullMarked
package io.celeriac.broker.redis;

import org.jspecify.annotations.NullMarked;

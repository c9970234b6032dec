/**
 * The {@code celeriac} Actuator endpoint: reads the topology, the backends, the workers,
 * the recent tasks, the cache regions and the schedules, and pauses the worker or
 * requeues and discards error-queue messages.
 */
@NullMarked
package io.celeriac.operations.endpoint;

import org.jspecify.annotations.NullMarked;

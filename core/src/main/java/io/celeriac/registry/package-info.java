/**
 * The worker registry, retools' worker registry: each running worker announces itself
 * (id, host, pid, queues, version, what it works on now) with a heartbeat, and a worker
 * not heard from within its window is pruned. The
 * {@link io.celeriac.registry.WorkerRegistry} SPI, the
 * {@link io.celeriac.registry.WorkerHeartbeat} that announces a worker, and the
 * {@link io.celeriac.registry.RunningTasks} interceptor that knows what it works on.
 */
@NullMarked
package io.celeriac.registry;

import org.jspecify.annotations.NullMarked;

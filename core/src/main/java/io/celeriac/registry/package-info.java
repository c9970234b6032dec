/**
 * The worker registry, retools' worker registry: each running worker announces itself
 * (id, host, pid, queues, version, what it works on now) with a heartbeat, and a worker
 * not heard from within its window is pruned. The
 * {@link io.celeriac.registry.WorkerRegistry} SPI and the
 * {@link io.celeriac.registry.RunningTasks} interceptor that knows what a worker works
 * on. The heartbeat that announces a worker is the worker's own (in the worker package):
 * the worker depends on its registry, the registry knows nothing of the worker.
 */
@NullMarked
package io.celeriac.registry;

import org.jspecify.annotations.NullMarked;

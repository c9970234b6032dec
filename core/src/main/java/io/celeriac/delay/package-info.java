/**
 * Delayed tasks (Celery's {@code eta} and {@code countdown}, and retries): kept outside
 * the worker's memory in a {@link io.celeriac.delay.DelayedTaskStore} until due, then
 * published to the broker by a {@link io.celeriac.delay.DelayedTaskScheduler}.
 */
@NullMarked
package io.celeriac.delay;

import org.jspecify.annotations.NullMarked;

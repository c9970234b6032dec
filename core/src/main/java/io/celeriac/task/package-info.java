/**
 * Tasks: the {@link io.celeriac.task.Deferrable} annotation, the
 * {@link io.celeriac.task.TaskClient} that sends tasks by name, the handle a sender gets
 * back, and the {@link io.celeriac.task.RetryPolicy} a task declares.
 */
@NullMarked
package io.celeriac.task;

import org.jspecify.annotations.NullMarked;

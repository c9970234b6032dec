/**
 * Tasks: the {@link io.celeriac.task.Deferrable} annotation, the
 * {@link io.celeriac.task.TaskClient} that sends tasks by name, and the handle a sender
 * gets back.
 */
@NullMarked
package io.celeriac.task;

import org.jspecify.annotations.NullMarked;

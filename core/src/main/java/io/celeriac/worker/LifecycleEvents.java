package io.celeriac.worker;

import java.util.List;
import java.util.function.Consumer;

import io.celeriac.execution.TaskLifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the worker's lifecycle listeners what happened to a task, one after the other; a
 * listener that throws is logged and does not keep the task or the other listeners from
 * going on.
 *
 * @author Celeriac team
 */
final class LifecycleEvents {

	private static final Logger logger = LoggerFactory.getLogger(TaskWorker.class);

	private final List<TaskLifecycleListener> listeners;

	LifecycleEvents(List<TaskLifecycleListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	void notify(Consumer<TaskLifecycleListener> event) {
		for (TaskLifecycleListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Task lifecycle listener {} threw {}; the task goes on", listener, ex.toString(), ex);
			}
		}
	}

}

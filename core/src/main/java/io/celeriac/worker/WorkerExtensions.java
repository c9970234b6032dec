package io.celeriac.worker;

import java.util.List;

import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.TaskInterceptor;
import io.celeriac.execution.TaskLifecycleListener;

/**
 * What an application adds to its worker: listeners that hear what happens to each task,
 * interceptors around each run, and metadata contributors whose headers it consumes.
 *
 * @param listeners the lifecycle listeners, called in order
 * @param interceptors the interceptors, the first outermost
 * @param contributors the metadata contributors
 * @author Celeriac team
 */
public record WorkerExtensions(List<TaskLifecycleListener> listeners, List<TaskInterceptor> interceptors,
		List<MetadataContributor> contributors) {

	public WorkerExtensions {
		listeners = List.copyOf(listeners);
		interceptors = List.copyOf(interceptors);
		contributors = List.copyOf(contributors);
	}

	/**
	 * Returns no extensions.
	 * @return the empty extensions
	 */
	public static WorkerExtensions none() {
		return new WorkerExtensions(List.of(), List.of(), List.of());
	}

}

package io.celeriac.task;

import java.util.List;

import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.observation.TaskPublishObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What an application adds to its {@link BrokerTaskClient}: metadata contributors whose
 * headers each message carries, lifecycle listeners that hear the producer's events
 * (push, debounce delayed, debounce skipped), and the registry in which each publish is
 * observed.
 *
 * @param contributors the metadata contributors
 * @param listeners the lifecycle listeners, called in order
 * @param observationRegistry the registry of the {@code celeriac.task.publish}
 * observations; {@link ObservationRegistry#NOOP} for none
 * @param observationConvention the convention of those observations, or {@code null} for
 * the default
 * @author Celeriac team
 */
public record TaskClientExtensions(List<MetadataContributor> contributors, List<TaskLifecycleListener> listeners,
		ObservationRegistry observationRegistry, @Nullable TaskPublishObservationConvention observationConvention) {

	public TaskClientExtensions {
		contributors = List.copyOf(contributors);
		listeners = List.copyOf(listeners);
	}

	/**
	 * Returns no extensions.
	 * @return the empty extensions
	 */
	public static TaskClientExtensions none() {
		return new TaskClientExtensions(List.of(), List.of(), ObservationRegistry.NOOP, null);
	}

}

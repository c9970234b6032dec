package io.celeriac.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The {@link ObservationConvention} of running a task: implement it (or extend
 * {@link DefaultTaskProcessObservationConvention}) and declare it as a bean to change the
 * name, contextual name or key values of the {@code celeriac.task.process} observation.
 *
 * @author Celeriac team
 */
public interface TaskProcessObservationConvention extends ObservationConvention<TaskProcessContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskProcessContext;
	}

}

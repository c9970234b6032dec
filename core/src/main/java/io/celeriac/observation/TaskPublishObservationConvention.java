package io.celeriac.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The {@link ObservationConvention} of publishing a task: implement it (or extend
 * {@link DefaultTaskPublishObservationConvention}) and declare it as a bean to change the
 * name, contextual name or key values of the {@code celeriac.task.publish} observation.
 *
 * @author Celeriac team
 */
public interface TaskPublishObservationConvention extends ObservationConvention<TaskPublishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TaskPublishContext;
	}

}

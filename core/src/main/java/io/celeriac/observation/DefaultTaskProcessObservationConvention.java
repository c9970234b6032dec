package io.celeriac.observation;

import io.celeriac.observation.TaskObservationDocumentation.HighCardinalityTags;
import io.celeriac.observation.TaskObservationDocumentation.LowCardinalityTags;
import io.micrometer.common.KeyValues;

/**
 * The default {@link TaskProcessObservationConvention}: observation
 * {@code celeriac.task.process}, span {@code <task name> process}, low-cardinality tag
 * {@code celeriac.task.name}, and the task id as a high-cardinality tag (on the span
 * only).
 *
 * @author Celeriac team
 */
public class DefaultTaskProcessObservationConvention implements TaskProcessObservationConvention {

	/**
	 * A shared instance.
	 */
	public static final DefaultTaskProcessObservationConvention INSTANCE = new DefaultTaskProcessObservationConvention();

	@Override
	public String getName() {
		return "celeriac.task.process";
	}

	@Override
	public String getContextualName(TaskProcessContext context) {
		return context.getTask().task() + " process";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskProcessContext context) {
		return KeyValues.of(LowCardinalityTags.TASK_NAME.withValue(context.getTask().task()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskProcessContext context) {
		return KeyValues.of(HighCardinalityTags.TASK_ID.withValue(context.getTask().id()));
	}

}

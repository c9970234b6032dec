package io.celeriac.observation;

import io.celeriac.observation.TaskObservationDocumentation.HighCardinalityTags;
import io.celeriac.observation.TaskObservationDocumentation.LowCardinalityTags;
import io.micrometer.common.KeyValues;

/**
 * The default {@link TaskPublishObservationConvention}: observation
 * {@code celeriac.task.publish}, span {@code <task name> publish}, low-cardinality tags
 * {@code celeriac.task.name} and {@code celeriac.task.routing-key}, and the task id as a
 * high-cardinality tag (on the span only).
 *
 * @author Celeriac team
 */
public class DefaultTaskPublishObservationConvention implements TaskPublishObservationConvention {

	/**
	 * A shared instance.
	 */
	public static final DefaultTaskPublishObservationConvention INSTANCE = new DefaultTaskPublishObservationConvention();

	@Override
	public String getName() {
		return "celeriac.task.publish";
	}

	@Override
	public String getContextualName(TaskPublishContext context) {
		return context.getTaskName() + " publish";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TaskPublishContext context) {
		return KeyValues.of(LowCardinalityTags.TASK_NAME.withValue(context.getTaskName()),
				LowCardinalityTags.ROUTING_KEY.withValue(context.getRoutingKey()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(TaskPublishContext context) {
		String taskId = context.getTaskId();
		return (taskId != null) ? KeyValues.of(HighCardinalityTags.TASK_ID.withValue(taskId)) : KeyValues.empty();
	}

}

package io.celeriac.result;

import java.time.Instant;

import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What is recorded about one task, with the fields of Celery's {@code celery_taskmeta}
 * table.
 *
 * @param taskId the task id
 * @param state the state
 * @param value the returned value as JSON, for {@link TaskState#SUCCESS}
 * @param failure the exception, for {@link TaskState#FAILURE} and {@link TaskState#RETRY}
 * @param name the task name
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param worker the worker that ran it
 * @param retries how many retries happened before this state
 * @param queue the routing key it was delivered with
 * @param dateDone when this state was recorded; {@code null} while STARTED in stores that
 * follow Celery, which leaves {@code date_done} empty until the task is done
 * @author Celeriac team
 */
public record TaskResult(String taskId, TaskState state, @Nullable JsonNode value, @Nullable TaskFailure failure,
		@Nullable String name, @Nullable JsonNode args, @Nullable JsonNode kwargs, @Nullable String worker, int retries,
		@Nullable String queue, @Nullable Instant dateDone) {

}

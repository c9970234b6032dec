package io.celeriac.monitor;

import java.time.Instant;

import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * One line of a {@link TaskPage}: a task the monitor saw and the state its result
 * records.
 *
 * @param taskId the task id
 * @param name the task name
 * @param routingKey the routing key it was published with
 * @param seenAt when the monitor first saw it
 * @param retries how many times it was retried before the message the monitor saw
 * @param state its state, {@link TaskState#PENDING} while no result is recorded
 * @param dateDone when its result was recorded, if it was
 * @param worker the worker that recorded its result, if one did
 * @author Celeriac team
 */
public record TaskSummary(String taskId, String name, String routingKey, Instant seenAt, int retries, TaskState state,
		@Nullable Instant dateDone, @Nullable String worker) {

	/**
	 * Returns where a page ending with this task ended.
	 * @return the cursor
	 */
	public TaskCursor cursor() {
		return new TaskCursor(this.seenAt, this.taskId);
	}

}

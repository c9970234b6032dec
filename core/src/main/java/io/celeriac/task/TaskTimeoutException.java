package io.celeriac.task;

import io.celeriac.result.TaskState;
import java.time.Duration;

/**
 * Thrown when a task was not done within the time a caller waited for it.
 *
 * @author Celeriac team
 */
public class TaskTimeoutException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param taskId the task id
	 * @param state the state it was in when the wait ended
	 * @param timeout how long the caller waited
	 */
	public TaskTimeoutException(String taskId, TaskState state, Duration timeout) {
		super("Task " + taskId + " was still " + state + " after " + timeout);
	}

}

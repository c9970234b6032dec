package io.celeriac.task;

import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when waiting for a task whose outcome is a failure or a revocation.
 *
 * @author Celeriac team
 */
public class TaskFailedException extends RuntimeException {

	private final String taskId;

	private final TaskState state;

	private final @Nullable String exceptionType;

	/**
	 * Creates an exception for a failed task.
	 * @param taskId the task id
	 * @param state the final state
	 * @param exceptionType the type of the exception the task raised, if known
	 * @param message what the task's exception said
	 */
	public TaskFailedException(String taskId, TaskState state, @Nullable String exceptionType, String message) {
		super("Task " + taskId + " ended in " + state + ((exceptionType != null) ? " with " + exceptionType : "") + ": "
				+ message);
		this.taskId = taskId;
		this.state = state;
		this.exceptionType = exceptionType;
	}

	public String getTaskId() {
		return this.taskId;
	}

	public TaskState getState() {
		return this.state;
	}

	public @Nullable String getExceptionType() {
		return this.exceptionType;
	}

}

package io.celeriac.result;

import java.util.Optional;

/**
 * Where workers record the state and outcome of each task, keyed by task id, and where
 * task handles read them.
 *
 * @author Celeriac team
 */
public interface ResultStore {

	/**
	 * Records a task's state, replacing what was recorded before for the same id.
	 * @param result the state and outcome
	 */
	void save(TaskResult result);

	/**
	 * Reads what is recorded for a task.
	 * @param taskId the task id
	 * @return the record, or empty if none exists
	 */
	Optional<TaskResult> find(String taskId);

}

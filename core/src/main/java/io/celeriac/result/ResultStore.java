package io.celeriac.result;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
	 * Records many tasks' states; a store that can writes them in one round trip and one
	 * transaction. When it returns, all of them are recorded.
	 * @param results the states and outcomes
	 */
	default void saveAll(List<TaskResult> results) {
		results.forEach(this::save);
	}

	/**
	 * Reads what is recorded for a task.
	 * @param taskId the task id
	 * @return the record, or empty if none exists
	 */
	Optional<TaskResult> find(String taskId);

	/**
	 * Reads what is recorded for many tasks; a store that can reads them in few round
	 * trips (the task history reads hundreds at a time).
	 * @param taskIds the task ids
	 * @return the records found, by task id; ids without a record are left out
	 */
	default Map<String, TaskResult> findAll(Collection<String> taskIds) {
		Map<String, TaskResult> found = new LinkedHashMap<>();
		for (String taskId : taskIds) {
			find(taskId).ifPresent((result) -> found.put(taskId, result));
		}
		return found;
	}

}

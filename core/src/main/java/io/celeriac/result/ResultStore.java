package io.celeriac.result;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
	 * Records a task's state unless a {@linkplain TaskState#isFinal() final} state
	 * (SUCCESS, FAILURE, REVOKED) is recorded for its id: for an outcome that must not
	 * replace another task's, such as the FAILURE a worker records for a message naming a
	 * task it does not know, whose id anyone who can publish may have chosen. The shipped
	 * stores check and write in one atomic step; this default reads, then saves.
	 * @param result the state and outcome
	 * @return {@code true} if it was recorded, {@code false} if a final state was kept
	 */
	default boolean saveUnlessFinal(TaskResult result) {
		if (find(result.taskId()).filter((recorded) -> recorded.state().isFinal()).isPresent()) {
			return false;
		}
		save(result);
		return true;
	}

	/**
	 * Records a task's state without making the caller wait for the write where the store
	 * can: the returned stage completes once the state is recorded, or fails with what
	 * kept it from being recorded. A worker uses it to take its next task while the
	 * outcome of the last one is written, and acknowledges the message only when the
	 * stage completes. This default writes at once, on the caller's thread.
	 * @param result the state and outcome
	 * @return a stage that completes when the state is recorded
	 */
	default CompletableFuture<Void> saveAsync(TaskResult result) {
		try {
			save(result);
			return CompletableFuture.completedFuture(null);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

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

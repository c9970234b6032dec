package io.celeriac.monitor;

import java.util.Optional;

/**
 * The task table the monitor writes: one record per task id.
 *
 * @author Celeriac team
 */
public interface TaskRecordStore {

	/**
	 * Records a task unless its id is already recorded, so that a message delivered again
	 * changes nothing.
	 * @param record the task
	 */
	void save(TaskRecord record);

	/**
	 * Reads a task's record.
	 * @param taskId the task id
	 * @return the record, or empty if the task was not seen
	 */
	Optional<TaskRecord> find(String taskId);

}

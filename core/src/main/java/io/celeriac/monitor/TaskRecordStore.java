package io.celeriac.monitor;

import java.util.List;
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

	/**
	 * Returns the tasks seen last, for operators (the {@code celeriac} Actuator
	 * endpoint).
	 * @param limit the most records to return
	 * @return the records, the most recently seen first
	 */
	List<TaskRecord> recent(int limit);

}

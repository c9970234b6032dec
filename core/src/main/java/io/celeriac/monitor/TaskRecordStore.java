package io.celeriac.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The task table the monitor writes: one record per task id. Its queries serve the
 * {@link TaskHistory}: they read the most recently seen tasks first, ordered by seen-at
 * time then task id (both descending), and page by keyset, so that an implementation over
 * a big table answers from an index without counting or offsetting.
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

	/**
	 * Finds the records that match, the most recently seen first: ordered by
	 * {@link TaskRecord#seenAt() seen-at} time descending, then by task id descending.
	 * @param name the exact task name, or {@code null} for any
	 * @param seenFrom the earliest seen-at time (inclusive), or {@code null}
	 * @param seenTo the latest seen-at time (exclusive), or {@code null}
	 * @param after where the previous page ended: only records ordered after it (seen
	 * earlier, or at the same time with a smaller task id) are returned; {@code null} for
	 * the first page
	 * @param limit the most records to return
	 * @return the records, at most {@code limit}
	 */
	List<TaskRecord> search(@Nullable String name, @Nullable Instant seenFrom, @Nullable Instant seenTo,
			@Nullable TaskCursor after, int limit);

	/**
	 * Finds the tasks a task sent: the records whose {@link TaskRecord#parentId() parent
	 * id} is the given one.
	 * @param parentId the task that sent them
	 * @param limit the most records to return
	 * @return the records, the first seen first (then by task id)
	 */
	List<TaskRecord> children(String parentId, int limit);

}

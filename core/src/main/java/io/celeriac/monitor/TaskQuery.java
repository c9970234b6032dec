package io.celeriac.monitor;

import java.time.Instant;

import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * What to look for in the {@link TaskHistory}. Every criterion left {@code null} matches
 * all tasks.
 *
 * @param taskId an exact task id
 * @param name an exact task name
 * @param state the state the task is in; {@link TaskState#PENDING} matches tasks without
 * a result
 * @param seenFrom the earliest time the task was seen (inclusive)
 * @param seenTo the latest time the task was seen (exclusive)
 * @param after where the previous page ended, to read the next one
 * @param limit the most tasks in one page
 * @author Celeriac team
 */
public record TaskQuery(@Nullable String taskId, @Nullable String name, @Nullable TaskState state,
		@Nullable Instant seenFrom, @Nullable Instant seenTo, @Nullable TaskCursor after, int limit) {

	/**
	 * The most tasks one page may hold.
	 */
	public static final int MAX_LIMIT = 500;

	public TaskQuery {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
		}
	}

	/**
	 * Returns a query for the most recently seen tasks.
	 * @param limit the most tasks in one page
	 * @return the query
	 */
	public static TaskQuery recent(int limit) {
		return new TaskQuery(null, null, null, null, null, null, limit);
	}

	/**
	 * Returns the same query for the page after the given cursor.
	 * @param cursor where the previous page ended
	 * @return the query
	 */
	public TaskQuery after(@Nullable TaskCursor cursor) {
		return new TaskQuery(this.taskId, this.name, this.state, this.seenFrom, this.seenTo, cursor, this.limit);
	}

}

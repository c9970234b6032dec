package io.celeriac.monitor;

import java.time.Instant;
import java.util.Optional;

/**
 * Reads the tasks the monitor recorded together with their outcome in the result store,
 * for people looking for a task: search, a task's detail with its workflow, and how many
 * tasks reached each state lately. Implementations answer quickly on a big history
 * (indexes, keyset pagination) rather than counting or offsetting through it.
 *
 * @author Celeriac team
 */
public interface TaskHistory {

	/**
	 * Finds the tasks that match a query, the most recently seen first. A search by
	 * {@link TaskQuery#state() state} may examine a bounded number of tasks per page
	 * (states are not indexed): its page may then hold fewer tasks than the limit, even
	 * none, while its {@link TaskPage#next() next} cursor goes on after the last task
	 * examined; only a {@code null} cursor means there is nothing further.
	 * @param query what to look for, and where the previous page ended
	 * @return one page of tasks and the cursor of the next page, if there is one
	 */
	TaskPage search(TaskQuery query);

	/**
	 * Reads everything known about one task: its message, its result and the tasks it
	 * sent.
	 * @param taskId the task id
	 * @return the task, or empty when neither the monitor nor the result store knows it
	 */
	Optional<TaskDetail> find(String taskId);

	/**
	 * Counts the tasks seen since an instant, per minute and per state.
	 * @param since the start of the period, usually an hour ago
	 * @return the counts, oldest minute first; minutes without tasks are left out
	 */
	TaskTimeline timeline(Instant since);

}

package io.celeriac.monitor;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link TaskHistory#search(TaskQuery) search}.
 *
 * @param tasks the tasks, the most recently seen first
 * @param next where the next page starts, or {@code null} on the last page
 * @author Celeriac team
 */
public record TaskPage(List<TaskSummary> tasks, @Nullable TaskCursor next) {

	public TaskPage {
		tasks = List.copyOf(tasks);
	}

}

package io.celeriac.monitor;

import java.util.List;

import io.celeriac.result.TaskResult;
import org.jspecify.annotations.Nullable;

/**
 * Everything the {@link TaskHistory} knows about one task, so that a workflow can be
 * followed from any of its tasks: the parent and root ids are in the record, the tasks it
 * sent are listed.
 *
 * @param taskId the task id
 * @param record the message the monitor saw, or {@code null} if it did not see it (a
 * result may be recorded first, or the task was sent while the monitor was off)
 * @param result its result, or {@code null} while none is recorded
 * @param children the tasks it sent, the first sent first
 * @author Celeriac team
 */
public record TaskDetail(String taskId, @Nullable TaskRecord record, @Nullable TaskResult result,
		List<TaskSummary> children) {

	public TaskDetail {
		children = List.copyOf(children);
	}

}

package io.celeriac.test.workflow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Every message the Java worker popped, with the workflow headers it carried.
 *
 * @author Celeriac team
 */
final class JavaRuns implements TaskLifecycleListener {

	private final List<Run> runs = new CopyOnWriteArrayList<>();

	@Override
	public void onPop(TaskMessage task) {
		this.runs.add(new Run(task.task(), task.id(), task.body().args(), task.headers().retries(),
				task.headers().rootId(), task.headers().parentId(), task.headers().group()));
	}

	List<Run> of(String taskId) {
		return this.runs.stream().filter((run) -> run.id().equals(taskId)).toList();
	}

	List<Run> named(String task) {
		return this.runs.stream().filter((run) -> run.task().equals(task)).toList();
	}

	record Run(String task, String id, JsonNode args, int retries, String rootId, @Nullable String parentId,
			@Nullable String group) {

	}

}

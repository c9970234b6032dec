package io.celeriac.result.memory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;

/**
 * A result store inside one JVM; results are lost with it. Suits one process that both
 * sends and runs its tasks, and tests.
 *
 * @author Celeriac team
 */
public class InMemoryResultStore implements ResultStore {

	private final Map<String, TaskResult> results = new ConcurrentHashMap<>();

	@Override
	public void save(TaskResult result) {
		this.results.put(result.taskId(), result);
	}

	@Override
	public boolean saveUnlessFinal(TaskResult result) {
		boolean[] saved = new boolean[1];
		this.results.compute(result.taskId(), (id, recorded) -> {
			if (recorded != null && recorded.state().isFinal()) {
				return recorded;
			}
			saved[0] = true;
			return result;
		});
		return saved[0];
	}

	@Override
	public Optional<TaskResult> find(String taskId) {
		return Optional.ofNullable(this.results.get(taskId));
	}

}

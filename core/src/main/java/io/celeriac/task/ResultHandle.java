package io.celeriac.task;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A {@link TaskHandle} that reads the task's state and result from the result store.
 *
 * @param <T> the result type
 * @author Celeriac team
 */
final class ResultHandle<T> implements TaskHandle<T> {

	private final String id;

	private final String name;

	private final @Nullable ResultWatcher watcher;

	private final ObjectMapper mapper;

	private final JavaType resultType;

	ResultHandle(String id, String name, @Nullable ResultWatcher watcher, ObjectMapper mapper, JavaType resultType) {
		this.id = id;
		this.name = name;
		this.watcher = watcher;
		this.mapper = mapper;
		this.resultType = resultType;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public TaskState status() {
		return watcher().store().find(this.id).map(TaskResult::state).orElse(TaskState.PENDING);
	}

	@Override
	public T await(Duration timeout) {
		ResultWatcher watcher = watcher();
		TaskState state = watcher.awaitFinal(this.id, timeout);
		if (!state.isFinal()) {
			throw new TaskTimeoutException(this.id, state, timeout);
		}
		return value(watcher.store().find(this.id).orElseThrow());
	}

	@Override
	public CompletableFuture<T> toFuture() {
		return watcher().whenFinal(this.id).thenApply(this::value);
	}

	private T value(TaskResult result) {
		if (result.state() != TaskState.SUCCESS) {
			TaskFailure failure = result.failure();
			throw new TaskFailedException(this.id, result.state(), (failure != null) ? failure.exceptionType() : null,
					(failure != null) ? failure.message() : "no details recorded");
		}
		JsonNode value = result.value();
		if (value == null || value.isNull()) {
			return null;
		}
		return this.mapper.treeToValue(value, this.resultType);
	}

	private ResultWatcher watcher() {
		if (this.watcher == null) {
			throw new IllegalStateException("Task " + this.id + " cannot be followed: no result store is configured "
					+ "(celeriac.result.type is none)");
		}
		return this.watcher;
	}

	@Override
	public String toString() {
		return "TaskHandle[" + this.name + "[" + this.id + "]]";
	}

}

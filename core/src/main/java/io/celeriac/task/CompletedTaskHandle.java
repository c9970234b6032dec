package io.celeriac.task;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * The handle a task method returns on the worker to hand back its value.
 *
 * @param <T> the value type
 * @param value the value
 * @author Celeriac team
 */
record CompletedTaskHandle<T>(@Nullable T value) implements TaskHandle<T> {

	@Override
	public String id() {
		return "";
	}

	@Override
	public String name() {
		return "";
	}

	@Override
	public TaskState status() {
		return TaskState.SUCCESS;
	}

	@Override
	public T await(Duration timeout) {
		return this.value;
	}

	@Override
	public CompletableFuture<T> toFuture() {
		return CompletableFuture.completedFuture(this.value);
	}

}

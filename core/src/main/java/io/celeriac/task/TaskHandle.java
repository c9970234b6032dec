package io.celeriac.task;

import io.celeriac.result.TaskState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A sent task: its id, its current state, and its result once a worker has recorded it.
 * Reading state and result needs a result store; without one, {@link #status()} and
 * {@link #await(Duration)} throw {@link IllegalStateException}.
 * <p>
 * A {@link Deferrable} method that returns a handle runs on the worker and hands its
 * value back with {@link #completed(Object)}: <pre class="code">
 * &#64;Deferrable(name = "reports.generate")
 * public TaskHandle&lt;Report&gt; generate(int id) {
 *     return TaskHandle.completed(this.reports.render(id));
 * }
 * </pre>
 *
 * @param <T> the result type
 * @author Celeriac team
 */
public interface TaskHandle<T extends @Nullable Object> {

	/**
	 * Returns the task id.
	 * @return the id, as in the message's {@code id} header
	 */
	String id();

	/**
	 * Returns the task name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns the task's current state as the result store knows it.
	 * @return the state, {@link TaskState#PENDING} if nothing is recorded yet
	 */
	TaskState status();

	/**
	 * Waits until the task is done and returns its result.
	 * @param timeout how long to wait at most
	 * @return the result, converted to the task's declared return type
	 * @throws TaskFailedException if the task failed or was revoked
	 * @throws TaskTimeoutException if it was not done within the timeout
	 */
	T await(Duration timeout);

	/**
	 * Returns a future completed with the result once the task is done.
	 * @return the future; completed exceptionally with {@link TaskFailedException} if the
	 * task failed
	 */
	CompletableFuture<T> toFuture();

	/**
	 * Returns the value of a task method that runs on a worker and returns a handle.
	 * @param <T> the value type
	 * @param value the task's result
	 * @return a handle that only carries the value
	 */
	static <T extends @Nullable Object> TaskHandle<T> completed(T value) {
		return new CompletedTaskHandle<>(value);
	}

}

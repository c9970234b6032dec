package io.celeriac.execution;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.celeriac.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Hears what happens to each task, the seed's events: on the producer {@code on_push},
 * {@code on_debounce_delayed} and {@code on_debounce_skipped}; on a worker
 * {@code on_pop}, {@code on_complete}, {@code on_retry}, {@code on_error} and
 * {@code on_expire} (retools' prerun, postrun and failure), with Celery's revoke and
 * reject. Every method does nothing by default. A listener that throws is logged and
 * ignored: it never changes what happens to the task. What follows a recorded outcome
 * ({@code onComplete}, {@code onRetry}, {@code onError} after the task ran) is called
 * once the outcome is recorded, on a thread of the worker's other than the one that ran
 * the task (with the task's MDC): keep per-task state by task id, not in a thread-local.
 *
 * @author Celeriac team
 */
public interface TaskLifecycleListener {

	/**
	 * The producer published the task and the broker confirmed it. It is called on the
	 * thread that completes the confirmation (with RabbitMQ, the channel's), so it should
	 * be quick.
	 * @param task the task
	 * @param routingKey the routing key it was published with
	 */
	default void onPush(TaskMessage task, String routingKey) {
	}

	/**
	 * The producer's debouncer delayed a call: the task is published with an {@code eta}
	 * at the end of the debounce window ({@link #onPush} follows once it is confirmed).
	 * @param task the task, its {@code eta} set
	 * @param delay how long it waits
	 */
	default void onDebounceDelayed(TaskMessage task, Duration delay) {
	}

	/**
	 * The producer's debouncer skipped a call: an identical one is pending within its
	 * window, so nothing is published.
	 * @param taskName the task's name
	 * @param args the positional arguments of the call
	 * @param kwargs the keyword arguments of the call
	 */
	default void onDebounceSkipped(String taskName, List<?> args, Map<String, ?> kwargs) {
	}

	/**
	 * A worker took the task and is about to run it.
	 * @param task the task
	 */
	default void onPop(TaskMessage task) {
	}

	/**
	 * The task ran and returned.
	 * @param task the task
	 */
	default void onComplete(TaskMessage task) {
	}

	/**
	 * The task threw and was sent again to run after a delay.
	 * @param task the attempt that failed
	 * @param exception what it threw
	 * @param delay how long the next attempt waits
	 */
	default void onRetry(TaskMessage task, Throwable exception, Duration delay) {
	}

	/**
	 * The task went to the error queue.
	 * @param task the task
	 * @param exception what it threw, or {@code null} if it could not run at all
	 */
	default void onError(TaskMessage task, @Nullable Throwable exception) {
	}

	/**
	 * The task had expired when a worker took it; it did not run.
	 * @param task the task
	 */
	default void onExpire(TaskMessage task) {
	}

	/**
	 * The task was revoked (Celery's {@code revoke}): a worker took it and did not run
	 * it, or interrupted it while it ran ({@code terminate=True}). It is recorded
	 * REVOKED.
	 * @param task the task
	 * @param terminated {@code true} if it was interrupted while it ran
	 */
	default void onRevoke(TaskMessage task, boolean terminated) {
	}

	/**
	 * A worker rejected a message it took (Celery's {@code Request.reject}): it did not
	 * run it and moved it to the error queue ({@code requeue} {@code false}: a message it
	 * could not decode, an unknown task name, arguments that do not fit, too many
	 * deliveries), or it handed it back to the broker for another worker ({@code requeue}
	 * {@code true}: interrupted by the worker's shutdown, its outcome could not be
	 * recorded, or the error queue refused it).
	 * @param taskId the task's id, from the message's {@code id} header when it could not
	 * be decoded (a message without one is not reported)
	 * @param task the task, or {@code null} if the message could not be decoded
	 * @param requeue {@code true} if the message went back to its queue
	 */
	default void onReject(String taskId, @Nullable TaskMessage task, boolean requeue) {
	}

	/**
	 * The task's {@code eta} was in the future when a worker took it; it waits in the
	 * delayed task store.
	 * @param task the task
	 */
	default void onDelay(TaskMessage task) {
	}

}

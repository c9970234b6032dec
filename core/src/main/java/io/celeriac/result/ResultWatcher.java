package io.celeriac.result;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;

/**
 * Waits for tasks to reach a final state by reading a result store, backing off from a
 * millisecond to {@value #MAX_INTERVAL_MILLIS} ms between reads so that a quick task is
 * seen at once and a slow one costs little. With a {@link ResultChannel} it reads the
 * store when the channel says a result was saved, and polls only as a safety net at a
 * much longer interval. Futures share one scheduler thread.
 *
 * @author Celeriac team
 */
public class ResultWatcher implements DisposableBean {

	private static final long MAX_INTERVAL_MILLIS = 100;

	private final ResultStore store;

	private final @Nullable ResultChannel channel;

	private final long maxIntervalMillis;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "celeriac-result-watcher");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Creates a watcher.
	 * @param store the result store to read
	 */
	public ResultWatcher(ResultStore store) {
		this(store, null, Duration.ofMillis(MAX_INTERVAL_MILLIS));
	}

	/**
	 * Creates a watcher that is told when results are saved.
	 * @param store the result store to read
	 * @param channel tells when a task's result was saved, or {@code null} to poll
	 * @param safetyInterval the longest time between two reads of the store while waiting
	 * for a notification
	 */
	public ResultWatcher(ResultStore store, @Nullable ResultChannel channel, Duration safetyInterval) {
		this.store = store;
		this.channel = channel;
		this.maxIntervalMillis = Math.max(1, safetyInterval.toMillis());
	}

	/**
	 * Returns the result store this watcher reads.
	 * @return the store
	 */
	public ResultStore store() {
		return this.store;
	}

	/**
	 * Waits in the calling thread until the task is in a final state or the timeout
	 * passed.
	 * @param taskId the task id
	 * @param timeout how long to wait at most
	 * @return the last thing recorded, final unless the timeout passed
	 */
	public TaskState awaitFinal(String taskId, Duration timeout) {
		Thread waiter = Thread.currentThread();
		try (AutoCloseable subscription = subscribe(taskId, () -> LockSupport.unpark(waiter))) {
			return poll(taskId, timeout);
		}
		catch (Exception ex) {
			throw (ex instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("Could not unsubscribe from " + taskId, ex);
		}
	}

	private TaskState poll(String taskId, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long interval = TimeUnit.MILLISECONDS.toNanos(1);
		long maxInterval = TimeUnit.MILLISECONDS.toNanos(this.maxIntervalMillis);
		while (true) {
			TaskState state = state(taskId);
			long left = deadline - System.nanoTime();
			if (state.isFinal() || left <= 0) {
				return state;
			}
			LockSupport.parkNanos(Math.min(interval, left));
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				return state(taskId);
			}
			interval = Math.min(interval * 2, maxInterval);
		}
	}

	private AutoCloseable subscribe(String taskId, Runnable onSaved) {
		return (this.channel != null) ? this.channel.subscribe(taskId, onSaved) : () -> {
		};
	}

	/**
	 * Returns a future completed with the task's record once it is final.
	 * @param taskId the task id
	 * @return the future
	 */
	public CompletableFuture<TaskResult> whenFinal(String taskId) {
		CompletableFuture<TaskResult> future = new CompletableFuture<>();
		AutoCloseable subscription = subscribe(taskId, () -> this.scheduler.execute(() -> read(taskId, future)));
		future.whenComplete((result, failure) -> {
			try {
				subscription.close();
			}
			catch (Exception ex) {
				// nothing more will be read for this task
			}
		});
		check(taskId, future, 1);
		return future;
	}

	private void check(String taskId, CompletableFuture<TaskResult> future, long intervalMillis) {
		if (read(taskId, future)) {
			return;
		}
		long next = Math.min(intervalMillis * 2, this.maxIntervalMillis);
		this.scheduler.schedule(() -> check(taskId, future, next), intervalMillis, TimeUnit.MILLISECONDS);
	}

	private boolean read(String taskId, CompletableFuture<TaskResult> future) {
		if (future.isDone()) {
			return true;
		}
		try {
			TaskResult result = this.store.find(taskId).orElse(null);
			if (result != null && result.state().isFinal()) {
				future.complete(result);
				return true;
			}
			return false;
		}
		catch (RuntimeException ex) {
			future.completeExceptionally(ex);
			return true;
		}
	}

	private TaskState state(String taskId) {
		return this.store.find(taskId).map(TaskResult::state).orElse(TaskState.PENDING);
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}

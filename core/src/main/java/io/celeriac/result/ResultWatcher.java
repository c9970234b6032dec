package io.celeriac.result;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.beans.factory.DisposableBean;

/**
 * Waits for tasks to reach a final state by reading a result store, backing off from a
 * millisecond to {@value #MAX_INTERVAL_MILLIS} ms between reads so that a quick task is
 * seen at once and a slow one costs little. Futures share one scheduler thread.
 *
 * @author Celeriac team
 */
public class ResultWatcher implements DisposableBean {

	private static final long MAX_INTERVAL_MILLIS = 100;

	private final ResultStore store;

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
		this.store = store;
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
		long deadline = System.nanoTime() + timeout.toNanos();
		long interval = TimeUnit.MILLISECONDS.toNanos(1);
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
			interval = Math.min(interval * 2, TimeUnit.MILLISECONDS.toNanos(MAX_INTERVAL_MILLIS));
		}
	}

	/**
	 * Returns a future completed with the task's record once it is final.
	 * @param taskId the task id
	 * @return the future
	 */
	public CompletableFuture<TaskResult> whenFinal(String taskId) {
		CompletableFuture<TaskResult> future = new CompletableFuture<>();
		check(taskId, future, 1);
		return future;
	}

	private void check(String taskId, CompletableFuture<TaskResult> future, long intervalMillis) {
		if (future.isDone()) {
			return;
		}
		try {
			TaskResult result = this.store.find(taskId).orElse(null);
			if (result != null && result.state().isFinal()) {
				future.complete(result);
				return;
			}
			long next = Math.min(intervalMillis * 2, MAX_INTERVAL_MILLIS);
			this.scheduler.schedule(() -> check(taskId, future, next), intervalMillis, TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			future.completeExceptionally(ex);
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

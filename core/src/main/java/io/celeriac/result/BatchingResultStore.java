package io.celeriac.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * Writes results in batches (group commit): each {@link #save(TaskResult)} waits until
 * the batch holding its result has been written by the delegate's
 * {@link ResultStore#saveAll(List)}, in one round trip and one transaction. Concurrent
 * worker threads therefore share round trips, while a worker still acknowledges a message
 * only after its result is committed. A batch holds what arrived while the previous one
 * was being written, up to the maximum size; nothing waits to fill a batch. A STARTED
 * record does not make the worker wait: it goes with the next batch, and when the task's
 * final state shares that batch only the final state is written.
 *
 * @author Celeriac team
 */
public class BatchingResultStore implements ResultStore, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(BatchingResultStore.class);

	private final ResultStore delegate;

	private final int maxBatchSize;

	private final Duration timeout;

	private final List<BlockingQueue<Pending>> queues = new ArrayList<>();

	private final List<Thread> writers = new ArrayList<>();

	private volatile boolean running = true;

	/**
	 * Creates a store with one writer thread.
	 * @param delegate the store that writes the batches
	 * @param maxBatchSize the most results in one batch
	 * @param timeout how long a save waits for its batch before failing
	 */
	public BatchingResultStore(ResultStore delegate, int maxBatchSize, Duration timeout) {
		this(delegate, maxBatchSize, 1, timeout);
	}

	/**
	 * Creates a store and starts its writer threads. Each task id always goes to the same
	 * writer, so that a task's states are written in the order they were saved.
	 * @param delegate the store that writes the batches
	 * @param maxBatchSize the most results in one batch
	 * @param writers how many batches may be written at the same time
	 * @param timeout how long a save waits for its batch before failing
	 */
	public BatchingResultStore(ResultStore delegate, int maxBatchSize, int writers, Duration timeout) {
		if (maxBatchSize < 1) {
			throw new IllegalArgumentException("Batch size must be at least 1, not " + maxBatchSize);
		}
		if (writers < 1) {
			throw new IllegalArgumentException("Writers must be at least 1, not " + writers);
		}
		this.delegate = delegate;
		this.maxBatchSize = maxBatchSize;
		this.timeout = timeout;
		for (int i = 0; i < writers; i++) {
			BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
			Thread writer = new Thread(() -> write(queue), "celeriac-result-writer-" + (i + 1));
			writer.setDaemon(true);
			this.queues.add(queue);
			this.writers.add(writer);
			writer.start();
		}
	}

	@Override
	public void save(TaskResult result) {
		if (!this.running) {
			throw new IllegalStateException("The result store is closed; " + result.taskId() + " was not recorded");
		}
		Pending entry = new Pending(result, new CompletableFuture<>());
		this.queues.get(Math.floorMod(result.taskId().hashCode(), this.queues.size())).add(entry);
		if (result.state() == TaskState.STARTED) {
			// informational: written with the next batch (before the task's final state,
			// which follows it in the queue) without holding up the task
			return;
		}
		try {
			entry.done().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while recording the result of " + result.taskId(), ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("Could not record the result of " + result.taskId(), cause);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("The result of " + result.taskId() + " was not recorded within "
					+ this.timeout + "; is the result store reachable?", ex);
		}
	}

	@Override
	public void saveAll(List<TaskResult> results) {
		this.delegate.saveAll(results);
	}

	/**
	 * Records a task's state unless a final state is recorded, at once through the
	 * delegate rather than in a batch, since the check and the write must be one step.
	 * @param result the state and outcome
	 * @return {@code true} if it was recorded, {@code false} if a final state was kept
	 */
	@Override
	public boolean saveUnlessFinal(TaskResult result) {
		return this.delegate.saveUnlessFinal(result);
	}

	@Override
	public Optional<TaskResult> find(String taskId) {
		return this.delegate.find(taskId);
	}

	@Override
	public Map<String, TaskResult> findAll(Collection<String> taskIds) {
		return this.delegate.findAll(taskIds);
	}

	private void write(BlockingQueue<Pending> pending) {
		List<Pending> batch = new ArrayList<>(this.maxBatchSize);
		while (this.running || !pending.isEmpty()) {
			try {
				Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				pending.drainTo(batch, this.maxBatchSize - 1);
				try {
					this.delegate.saveAll(latestPerTask(batch));
					batch.forEach((entry) -> entry.done().complete(null));
				}
				catch (RuntimeException ex) {
					logger.warn("Could not write a batch of {} results ({}); writing them one by one", batch.size(),
							ex.getMessage());
					batch.forEach(this::writeAlone);
				}
				batch.clear();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static List<TaskResult> latestPerTask(List<Pending> batch) {
		// a task's STARTED and final state often share a batch: only the last is written
		Map<String, TaskResult> latest = new LinkedHashMap<>();
		for (Pending entry : batch) {
			latest.remove(entry.result().taskId());
			latest.put(entry.result().taskId(), entry.result());
		}
		return new ArrayList<>(latest.values());
	}

	private void writeAlone(Pending entry) {
		try {
			this.delegate.save(entry.result());
			entry.done().complete(null);
		}
		catch (RuntimeException ex) {
			entry.done().completeExceptionally(ex);
		}
	}

	/**
	 * Returns the store that writes the batches.
	 * @return the delegate
	 */
	public ResultStore delegate() {
		return this.delegate;
	}

	@Override
	public void destroy() throws InterruptedException {
		this.running = false;
		for (Thread writer : this.writers) {
			writer.join(this.timeout.toMillis());
		}
	}

	private record Pending(TaskResult result, CompletableFuture<Void> done) {

	}

}

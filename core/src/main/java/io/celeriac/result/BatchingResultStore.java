package io.celeriac.result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
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
 * <p>
 * The queue is bounded: a save that finds it full waits for room up to its write timeout,
 * then fails. The writers are supervised: whatever a batch throws (an {@link Error}
 * included) fails that batch's callers and the writer goes on. When a batch, a row or a
 * read fails because the store cannot be reached, the store is considered unreachable
 * ({@link StoreReachability}): saves fail without waiting until a back-off has passed,
 * reads fail until the store answers again, and an idle writer tries the store after each
 * back-off, so that no caller waits for a connection that will not come. Entries whose
 * callers gave up are dropped before writing.
 *
 * @author Celeriac team
 */
public class BatchingResultStore implements ResultStore, DisposableBean {

	/**
	 * The default most results waiting to be written.
	 */
	public static final int DEFAULT_CAPACITY = 10_000;

	private static final Logger logger = LoggerFactory.getLogger(BatchingResultStore.class);

	private final ResultStore delegate;

	private final int maxBatchSize;

	private final Duration timeout;

	private final int capacity;

	private final Clock clock = Clock.systemUTC();

	private final StoreReachability reachability = new StoreReachability(this.clock);

	private final List<BlockingQueue<Pending>> queues = new ArrayList<>();

	private final List<Thread> writers = new ArrayList<>();

	private volatile boolean running = true;

	private volatile @Nullable Failure lastFailure;

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
	 * Creates a store and starts its writer threads, with the default capacity.
	 * @param delegate the store that writes the batches
	 * @param maxBatchSize the most results in one batch
	 * @param writers how many batches may be written at the same time
	 * @param timeout how long a save waits for its batch before failing
	 */
	public BatchingResultStore(ResultStore delegate, int maxBatchSize, int writers, Duration timeout) {
		this(delegate, maxBatchSize, writers, timeout, DEFAULT_CAPACITY);
	}

	/**
	 * Creates a store and starts its writer threads. Each task id always goes to the same
	 * writer, so that a task's states are written in the order they were saved.
	 * @param delegate the store that writes the batches
	 * @param maxBatchSize the most results in one batch
	 * @param writers how many batches may be written at the same time
	 * @param timeout how long a save waits for room and for its batch before failing
	 * @param capacity the most results waiting to be written, shared by the writers
	 */
	public BatchingResultStore(ResultStore delegate, int maxBatchSize, int writers, Duration timeout, int capacity) {
		if (maxBatchSize < 1) {
			throw new IllegalArgumentException("Batch size must be at least 1, not " + maxBatchSize);
		}
		if (writers < 1) {
			throw new IllegalArgumentException("Writers must be at least 1, not " + writers);
		}
		if (capacity < writers) {
			throw new IllegalArgumentException("The queue capacity (celeriac.result.queue-capacity) must be at least "
					+ "the number of writers (" + writers + "), not " + capacity);
		}
		this.delegate = delegate;
		this.maxBatchSize = maxBatchSize;
		this.timeout = timeout;
		this.capacity = capacity;
		for (int i = 0; i < writers; i++) {
			BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(capacity / writers);
			BatchWriter batches = new BatchWriter(delegate, this.reachability, maxBatchSize, () -> this.running,
					this::recordFailure);
			Thread writer = new Thread(() -> batches.write(queue), "celeriac-result-writer-" + (i + 1));
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
		long deadline = System.nanoTime() + this.timeout.toNanos();
		Pending entry = new Pending(result, new CompletableFuture<>());
		BlockingQueue<Pending> queue = queueFor(result);
		if (result.state() == TaskState.STARTED) {
			// informational: written with the next batch (before the task's final state,
			// which follows it in the queue) without holding up the task, or not at all
			// when the queue is full or the store unreachable
			if (this.reachability.isBackingOff() || !queue.offer(entry)) {
				logger.debug("Result queue full or store unreachable; the STARTED state of {} is not recorded",
						result.taskId());
			}
			return;
		}
		this.reachability.failIfBackingOff("The result of " + result.taskId() + " was not recorded");
		try {
			if (!queue.offer(entry, this.timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				throw new IllegalStateException("The result of " + result.taskId() + " was not recorded: "
						+ this.capacity + " results are waiting to be written (celeriac.result.queue-capacity) and "
						+ "none left within " + this.timeout + " (celeriac.result.write-timeout); "
						+ this.reachability.describe());
			}
			entry.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			entry.done().cancel(false);
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
			// the writer drops an entry whose caller gave up
			entry.done().cancel(false);
			String message = "The result of " + result.taskId() + " was not recorded within " + this.timeout
					+ " (celeriac.result.write-timeout); " + this.reachability.describe();
			throw (this.reachability.unreachableSince() != null) ? new ResultStoreUnavailableException(message, ex)
					: new IllegalStateException(message, ex);
		}
	}

	/**
	 * Queues a task's state for the next batch without waiting for the batch: the stage
	 * completes when the batch holding it is committed. It fails at once while the store
	 * is considered unreachable or when the queue is full, so that the caller keeps the
	 * result and tries again later instead of waiting.
	 * @param result the state and outcome
	 * @return a stage that completes when the state is recorded
	 */
	@Override
	public CompletableFuture<Void> saveAsync(TaskResult result) {
		if (!this.running) {
			return CompletableFuture.failedFuture(
					new IllegalStateException("The result store is closed; " + result.taskId() + " was not recorded"));
		}
		if (result.state() == TaskState.STARTED) {
			save(result);
			return CompletableFuture.completedFuture(null);
		}
		try {
			this.reachability.failIfBackingOff("The result of " + result.taskId() + " was not recorded");
		}
		catch (ResultStoreUnavailableException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		Pending entry = new Pending(result, new CompletableFuture<>());
		if (!queueFor(result).offer(entry)) {
			return CompletableFuture
				.failedFuture(new IllegalStateException("The result of " + result.taskId() + " was not recorded: "
						+ this.capacity + " results are waiting to be written (celeriac.result.queue-capacity)"));
		}
		// a copy, so that what the caller does with it cannot settle the writer's entry
		return entry.done().copy();
	}

	private BlockingQueue<Pending> queueFor(TaskResult result) {
		return this.queues.get(Math.floorMod(result.taskId().hashCode(), this.queues.size()));
	}

	@Override
	public void saveAll(List<TaskResult> results) {
		// through the queues, so that the states are written after what save() queued
		// before them (a STARTED state is queued without waiting)
		long deadline = System.nanoTime() + this.timeout.toNanos();
		List<CompletableFuture<Void>> written = new ArrayList<>(results.size());
		results.forEach((result) -> written.add(saveAsync(result)));
		try {
			CompletableFuture.allOf(written.toArray(CompletableFuture[]::new))
				.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while recording " + results.size() + " results", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("Could not record " + results.size() + " results", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(results.size() + " results were not all recorded within " + this.timeout
					+ " (celeriac.result.write-timeout); " + this.reachability.describe(), ex);
		}
	}

	/**
	 * Records a task's state unless a final state is recorded, at once through the
	 * delegate rather than in a batch, since the check and the write must be one step.
	 * @param result the state and outcome
	 * @return {@code true} if it was recorded, {@code false} if a final state was kept
	 */
	@Override
	public boolean saveUnlessFinal(TaskResult result) {
		this.reachability.failIfBackingOff("The state of " + result.taskId() + " was not recorded");
		return call("The state of " + result.taskId() + " was not recorded",
				() -> this.delegate.saveUnlessFinal(result));
	}

	/**
	 * Reads a task's record; fails at once with {@link ResultStoreUnavailableException}
	 * while the store is known to be unreachable, rather than waiting for a connection.
	 */
	@Override
	public Optional<TaskResult> find(String taskId) {
		// reads do not try a store that is down: an idle writer does, after each back-off
		this.reachability.failIfUnreachable("The result of " + taskId + " was not read");
		return call("The result of " + taskId + " was not read", () -> this.delegate.find(taskId));
	}

	@Override
	public Map<String, TaskResult> findAll(Collection<String> taskIds) {
		this.reachability.failIfUnreachable("The results of " + taskIds.size() + " tasks were not read");
		return call("The results of " + taskIds.size() + " tasks were not read", () -> this.delegate.findAll(taskIds));
	}

	private <T> T call(String what, Supplier<T> call) {
		try {
			T answer = call.get();
			this.reachability.reachable();
			return answer;
		}
		catch (RuntimeException ex) {
			throw this.reachability.failed(what, ex);
		}
	}

	/**
	 * Returns the writers' figures, for health and metrics.
	 * @return the status now
	 */
	public WriterStatus status() {
		int queued = this.queues.stream().mapToInt(BlockingQueue::size).sum();
		Failure failure = this.lastFailure;
		return new WriterStatus(queued, this.capacity, (failure != null) ? failure.at() : null,
				(failure != null) ? failure.message() : null, this.reachability.unreachableSince());
	}

	private void recordFailure(Throwable ex) {
		this.lastFailure = new Failure(this.clock.instant(), StoreReachability.describe(ex));
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

	/**
	 * The batching writers' figures.
	 *
	 * @param queued how many results wait to be written
	 * @param capacity the most that may wait
	 * @param lastFailureAt when a batch last failed, if one has
	 * @param lastFailure why it failed
	 * @param unreachableSince since when the store cannot be reached, or {@code null}
	 * while it can
	 */
	public record WriterStatus(int queued, int capacity, @Nullable Instant lastFailureAt, @Nullable String lastFailure,
			@Nullable Instant unreachableSince) {

	}

	record Pending(TaskResult result, CompletableFuture<Void> done) {

	}

	private record Failure(Instant at, String message) {

	}

}

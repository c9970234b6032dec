package io.celeriac.result;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * included) fails that batch's callers and the writer goes on. When a batch fails because
 * the store cannot be reached, its callers fail at once (it is not retried row by row)
 * and the store is considered unreachable: saves fail without waiting until a back-off
 * has passed, then the next batch tries again. Entries whose callers gave up are dropped
 * before writing.
 *
 * @author Celeriac team
 */
public class BatchingResultStore implements ResultStore, DisposableBean {

	/**
	 * The default most results waiting to be written.
	 */
	public static final int DEFAULT_CAPACITY = 10_000;

	private static final Duration FIRST_BACK_OFF = Duration.ofMillis(250);

	private static final Duration MAX_BACK_OFF = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(BatchingResultStore.class);

	private final ResultStore delegate;

	private final int maxBatchSize;

	private final Duration timeout;

	private final int capacity;

	private final Clock clock = Clock.systemUTC();

	private final List<BlockingQueue<Pending>> queues = new ArrayList<>();

	private final List<Thread> writers = new ArrayList<>();

	private volatile boolean running = true;

	private volatile @Nullable Outage outage;

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
		long deadline = System.nanoTime() + this.timeout.toNanos();
		Pending entry = new Pending(result, new CompletableFuture<>());
		BlockingQueue<Pending> queue = this.queues.get(Math.floorMod(result.taskId().hashCode(), this.queues.size()));
		if (result.state() == TaskState.STARTED) {
			// informational: written with the next batch (before the task's final state,
			// which follows it in the queue) without holding up the task, or not at all
			// when the queue is full or the store unreachable
			if (isBackingOff() || !queue.offer(entry)) {
				logger.debug("Result queue full or store unreachable; the STARTED state of {} is not recorded",
						result.taskId());
			}
			return;
		}
		failIfUnreachable(result.taskId());
		try {
			if (!queue.offer(entry, this.timeout.toNanos(), TimeUnit.NANOSECONDS)) {
				throw new IllegalStateException("The result of " + result.taskId() + " was not recorded: "
						+ this.capacity + " results are waiting to be written (celeriac.result.queue-capacity) and "
						+ "none left within " + this.timeout + " (celeriac.result.write-timeout); " + reachability());
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
			throw new IllegalStateException("The result of " + result.taskId() + " was not recorded within "
					+ this.timeout + " (celeriac.result.write-timeout); " + reachability(), ex);
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
		Outage outage = this.outage;
		if (outage != null && this.clock.instant().isBefore(outage.retryAt())) {
			return CompletableFuture.failedFuture(new ResultStoreUnavailableException(
					"The result of " + result.taskId() + " was not recorded: " + reachability(), outage.cause()));
		}
		Pending entry = new Pending(result, new CompletableFuture<>());
		BlockingQueue<Pending> queue = this.queues.get(Math.floorMod(result.taskId().hashCode(), this.queues.size()));
		if (!queue.offer(entry)) {
			return CompletableFuture
				.failedFuture(new IllegalStateException("The result of " + result.taskId() + " was not recorded: "
						+ this.capacity + " results are waiting to be written (celeriac.result.queue-capacity)"));
		}
		// a copy, so that what the caller does with it cannot settle the writer's entry
		return entry.done().copy();
	}

	private boolean isBackingOff() {
		Outage outage = this.outage;
		return outage != null && this.clock.instant().isBefore(outage.retryAt());
	}

	private void failIfUnreachable(String taskId) {
		Outage outage = this.outage;
		if (outage != null && this.clock.instant().isBefore(outage.retryAt())) {
			throw new ResultStoreUnavailableException(
					"The result of " + taskId + " was not recorded: " + reachability(), outage.cause());
		}
	}

	private String reachability() {
		Outage outage = this.outage;
		if (outage != null) {
			return "the result store is unreachable since " + outage.since() + " (" + describe(outage.cause())
					+ "); the next attempt is at " + outage.retryAt();
		}
		return "is the result store reachable?";
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

	/**
	 * Returns the writers' figures, for health and metrics.
	 * @return the status now
	 */
	public WriterStatus status() {
		int queued = this.queues.stream().mapToInt(BlockingQueue::size).sum();
		Failure failure = this.lastFailure;
		Outage outage = this.outage;
		return new WriterStatus(queued, this.capacity, (failure != null) ? failure.at() : null,
				(failure != null) ? failure.message() : null, (outage != null) ? outage.since() : null);
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
				writeBatch(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				// supervised: a writer outlives whatever one batch throws
				logger.error("The result writer failed on a batch of {} results; it goes on", batch.size(), ex);
				recordFailure(ex);
				IllegalStateException failure = new IllegalStateException("The result writer failed: " + describe(ex),
						ex);
				batch.forEach((entry) -> entry.done().completeExceptionally(failure));
				if (ex instanceof Error) {
					pause(FIRST_BACK_OFF);
				}
			}
			finally {
				batch.clear();
			}
		}
	}

	private void writeBatch(List<Pending> batch) {
		// entries whose callers gave up are not written
		batch.removeIf((entry) -> entry.done().isDone());
		if (batch.isEmpty()) {
			return;
		}
		Outage outage = this.outage;
		if (outage != null && this.clock.instant().isBefore(outage.retryAt())) {
			ResultStoreUnavailableException failure = new ResultStoreUnavailableException(
					"Result not recorded: " + reachability(), outage.cause());
			batch.forEach((entry) -> entry.done().completeExceptionally(failure));
			return;
		}
		try {
			this.delegate.saveAll(latestPerTask(batch));
			reachable();
			batch.forEach((entry) -> entry.done().complete(null));
		}
		catch (RuntimeException ex) {
			recordFailure(ex);
			if (isConnectionFailure(ex)) {
				Outage now = unreachable(ex);
				logger.warn("The result store is unreachable since {} ({}); failing a batch of {} results, next "
						+ "attempt at {}", now.since(), describe(ex), batch.size(), now.retryAt());
				ResultStoreUnavailableException failure = new ResultStoreUnavailableException(
						"Result not recorded: " + reachability(), ex);
				batch.forEach((entry) -> entry.done().completeExceptionally(failure));
				return;
			}
			reachable();
			logger.warn("Could not write a batch of {} results ({}); writing them one by one", batch.size(),
					describe(ex));
			batch.forEach(this::writeAlone);
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

	private synchronized Outage unreachable(Throwable cause) {
		Instant now = this.clock.instant();
		Outage previous = this.outage;
		Duration backOff = (previous != null) ? min(previous.backOff().multipliedBy(2), MAX_BACK_OFF) : FIRST_BACK_OFF;
		Outage outage = new Outage((previous != null) ? previous.since() : now, now.plus(backOff), backOff, cause);
		this.outage = outage;
		return outage;
	}

	private void reachable() {
		Outage outage = this.outage;
		if (outage != null) {
			logger.info("The result store is reachable again (unreachable since {})", outage.since());
			this.outage = null;
		}
	}

	private void recordFailure(Throwable ex) {
		this.lastFailure = new Failure(this.clock.instant(), describe(ex));
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return text(ex) + ((root != ex) ? " (caused by " + text(root) + ")" : "");
	}

	private static String text(Throwable ex) {
		return ex.getClass().getName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	/**
	 * Tells whether a failure means the store cannot be reached (no connection), rather
	 * than that one of the rows is refused.
	 * @param ex the failure
	 * @return whether it is a connection failure
	 */
	static boolean isConnectionFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (isResourceFailure(cause.getClass()) || cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException
					|| (cause instanceof SQLException sql && sql.getSQLState() != null
							&& sql.getSQLState().startsWith("08"))) {
				// SQL state class 08: connection exception
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static boolean isResourceFailure(Class<?> type) {
		// by name: Spring's DAO exceptions are on the class path only with a JDBC or
		// Redis
		// store
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.getName().equals("org.springframework.dao.DataAccessResourceFailureException")) {
				return true;
			}
		}
		return false;
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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

	private record Pending(TaskResult result, CompletableFuture<Void> done) {

	}

	private record Failure(Instant at, String message) {

	}

	private record Outage(Instant since, Instant retryAt, Duration backOff, Throwable cause) {

	}

}

package io.celeriac.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.Delivery;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Holds the outcomes of finished tasks until they are recorded, and only then runs what
 * depends on them (continuing workflows, publishing a retry, acknowledging the delivery).
 * A worker slot hands its outcome over and takes its next message at once, so that the
 * outcomes of many slots share a batch of the result store; the delivery stays
 * unacknowledged until its row is committed, so a process that dies loses nothing.
 * <p>
 * A write that fails is tried again, with a growing pause, until the store answers: a
 * finished task is never run again because its outcome could not be written. While writes
 * fail, and while the bound of waiting outcomes is reached, the worker takes no new
 * messages ({@link #admit()} waits); it says so once in the log when it pauses and once
 * when it resumes.
 *
 * @author Celeriac team
 */
final class OutcomePipeline {

	private static final Logger logger = LoggerFactory.getLogger(TaskWorker.class);

	private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

	private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

	private final @Nullable ResultStore results;

	private final int bound;

	private final String worker;

	private final FailedStep failedStep;

	private final ThreadPoolExecutor completions;

	private final ScheduledThreadPoolExecutor retries;

	private final Object lock = new Object();

	private int pending;

	private int running;

	private boolean stopping;

	private boolean released;

	/**
	 * Bumped when the worker stops with outcomes unsettled: their messages go back to the
	 * broker and run again elsewhere, so what follows them here must not happen (no late
	 * row over a newer one, no second retry or workflow message).
	 */
	private int generation;

	private @Nullable String outage;

	private @Nullable Instant outageSince;

	/**
	 * Creates a pipeline.
	 * @param results where outcomes are recorded, or {@code null} to record none
	 * @param bound how many outcomes may wait before the worker stops taking messages
	 * @param worker the worker's name, for the log
	 * @param threads how many threads run what follows a recorded outcome
	 * @param failedStep what to do with a delivery whose follow-up failed
	 */
	OutcomePipeline(@Nullable ResultStore results, int bound, String worker, int threads, FailedStep failedStep) {
		if (bound < 1) {
			throw new IllegalArgumentException("celeriac.worker.pending-outcomes must be at least 1, not " + bound
					+ " (it defaults to the prefetch)");
		}
		this.results = results;
		this.bound = bound;
		this.worker = worker;
		this.failedStep = failedStep;
		AtomicInteger number = new AtomicInteger();
		this.completions = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(task) -> daemon(task, "celeriac-outcomes-" + worker + "-" + number.incrementAndGet()));
		this.completions.allowCoreThreadTimeOut(true);
		this.retries = new ScheduledThreadPoolExecutor(1, (task) -> daemon(task, "celeriac-outcome-retries-" + worker));
		this.retries.setKeepAliveTime(30, TimeUnit.SECONDS);
		this.retries.allowCoreThreadTimeOut(true);
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	/**
	 * Waits until the worker may take a message: not while the result store does not
	 * answer, nor while the bound of waiting outcomes is reached. Each admitted message
	 * is then {@link #finished() finished}.
	 * @return {@code true} to run the message, {@code false} when the worker stops (the
	 * caller gives the message back)
	 */
	boolean admit() {
		synchronized (this.lock) {
			while (!this.released) {
				if (!this.stopping && this.outage == null && this.pending < this.bound) {
					this.running++;
					return true;
				}
				try {
					this.lock.wait(1000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return false;
		}
	}

	/**
	 * Tells that the slot of an admitted message is free again.
	 */
	void finished() {
		synchronized (this.lock) {
			this.running--;
			this.lock.notifyAll();
		}
	}

	/**
	 * Records an outcome, then runs what follows it; with no row to record (no store, or
	 * the task ignores its result), runs it at once on the caller's thread.
	 * @param delivery the delivery the outcome settles
	 * @param message its message
	 * @param row what to record, or {@code null}
	 * @param then what follows the recorded outcome; it settles the delivery
	 * @param repeatable whether {@code then} may run again when it fails (it must not
	 * redo what it did before failing), rather than giving the delivery back
	 */
	void complete(Delivery delivery, TaskMessage message, @Nullable TaskResult row, Runnable then, boolean repeatable) {
		if (row == null || this.results == null) {
			then.run();
			return;
		}
		int current;
		synchronized (this.lock) {
			this.pending++;
			current = this.generation;
		}
		write(new Outcome(delivery, message, row, then, repeatable, current));
	}

	private boolean abandoned(Outcome outcome) {
		synchronized (this.lock) {
			return outcome.generation != this.generation;
		}
	}

	private void write(Outcome outcome) {
		if (abandoned(outcome)) {
			return;
		}
		CompletableFuture<Void> written;
		try {
			written = this.results.saveAsync(outcome.row);
		}
		catch (RuntimeException ex) {
			written = CompletableFuture.failedFuture(ex);
		}
		written.whenCompleteAsync((done, failure) -> {
			if (failure == null) {
				recorded(outcome);
			}
			else {
				writeFailed(outcome, failure);
			}
		}, this.completions);
	}

	private void writeFailed(Outcome outcome, Throwable failure) {
		Duration pause = outcome.nextPause();
		synchronized (this.lock) {
			if (this.outage == null) {
				this.outage = describe(failure);
				this.outageSince = Instant.now();
				logger.warn(
						"Worker {} pauses: the result store does not answer ({}); it takes no new task until "
								+ "it does, and holds {} finished task(s) whose outcome it records then",
						this.worker, this.outage, this.pending);
			}
		}
		logger.debug("Outcome of {} not recorded ({}); next attempt in {} ms", outcome.row.taskId(), describe(failure),
				pause.toMillis());
		this.retries.schedule(() -> write(outcome), pause.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void recorded(Outcome outcome) {
		answered();
		if (abandoned(outcome)) {
			logger.debug("Outcome of {} recorded after the worker let its message go; nothing follows it here",
					outcome.message.id());
			return;
		}
		// the follow-up logs and tells the listeners as the task's own thread would
		MDC.put(TaskWorker.TASK_ID_MDC_KEY, outcome.message.id());
		MDC.put(TaskWorker.TASK_NAME_MDC_KEY, outcome.message.task());
		try {
			followUp(outcome);
		}
		finally {
			MDC.remove(TaskWorker.TASK_ID_MDC_KEY);
			MDC.remove(TaskWorker.TASK_NAME_MDC_KEY);
		}
	}

	private void followUp(Outcome outcome) {
		try {
			outcome.then.run();
			settled(outcome);
		}
		catch (RuntimeException ex) {
			if (outcome.repeatable) {
				Duration pause = outcome.nextPause();
				logger.warn("Task {}[{}] is recorded but what follows failed ({}); trying again in {} ms",
						outcome.message.task(), outcome.message.id(), describe(ex), pause.toMillis());
				this.retries.schedule(() -> this.completions.execute(() -> recorded(outcome)), pause.toMillis(),
						TimeUnit.MILLISECONDS);
				return;
			}
			try {
				this.failedStep.giveBack(outcome.delivery, outcome.message, ex);
			}
			finally {
				settled(outcome);
			}
		}
	}

	private void answered() {
		synchronized (this.lock) {
			if (this.outage != null) {
				logger.info("Worker {} resumes: the result store answers again (it did not since {}); {} outcome(s) "
						+ "still wait to be recorded", this.worker, this.outageSince, this.pending);
				this.outage = null;
				this.outageSince = null;
				this.lock.notifyAll();
			}
		}
	}

	private void settled(Outcome outcome) {
		synchronized (this.lock) {
			if (outcome.generation == this.generation) {
				this.pending--;
				this.lock.notifyAll();
			}
		}
	}

	/**
	 * Starts admitting messages again after a stop.
	 */
	void open() {
		synchronized (this.lock) {
			this.stopping = false;
			this.released = false;
		}
	}

	/**
	 * Stops admitting messages, and waits until the admitted ones are finished and every
	 * outcome is recorded and acknowledged, or until the deadline; then lets the messages
	 * that waited for admission go (they are given back).
	 * @param deadline the deadline, in {@link System#nanoTime()} terms
	 * @return whether every outcome was settled
	 */
	boolean drain(long deadline) {
		synchronized (this.lock) {
			this.stopping = true;
			long remaining;
			while ((this.running > 0 || this.pending > 0) && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			boolean drained = this.pending == 0;
			if (!drained) {
				logger.warn("Worker {} stops with {} outcome(s) not recorded ({}); their messages go back to the "
						+ "broker unacknowledged and run again", this.worker, this.pending, this.outage);
				this.generation++;
				this.pending = 0;
				this.outage = null;
				this.outageSince = null;
			}
			this.released = true;
			this.lock.notifyAll();
			return drained;
		}
	}

	OutcomeStatus status() {
		synchronized (this.lock) {
			return new OutcomeStatus(this.pending, this.bound, this.outage != null, this.outage, this.outageSince);
		}
	}

	private static String describe(Throwable ex) {
		Throwable shown = (ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null)
				? ex.getCause() : ex;
		return shown.getClass().getName() + ((shown.getMessage() != null) ? ": " + shown.getMessage() : "");
	}

	/**
	 * What the worker does with a delivery whose outcome is recorded but whose follow-up
	 * failed (a workflow could not be continued, the error queue did not confirm): it
	 * gives it back, as it did before outcomes were pipelined.
	 */
	@FunctionalInterface
	interface FailedStep {

		void giveBack(Delivery delivery, TaskMessage message, RuntimeException failure);

	}

	private static final class Outcome {

		private final Delivery delivery;

		private final TaskMessage message;

		private final TaskResult row;

		private final Runnable then;

		private final boolean repeatable;

		private final int generation;

		private int failures;

		Outcome(Delivery delivery, TaskMessage message, TaskResult row, Runnable then, boolean repeatable,
				int generation) {
			this.delivery = delivery;
			this.message = message;
			this.row = row;
			this.then = then;
			this.repeatable = repeatable;
			this.generation = generation;
		}

		synchronized Duration nextPause() {
			long millis = FIRST_PAUSE.toMillis() << Math.min(this.failures++, 16);
			return Duration.ofMillis(Math.min(millis, MAX_PAUSE.toMillis()));
		}

	}

}

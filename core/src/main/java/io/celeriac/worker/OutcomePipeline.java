package io.celeriac.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

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
 * messages ({@link #admit(String)} waits); it says so once in the log when it pauses and
 * once when it resumes. One queue can be drained on its own, as cancelling its consumer
 * does: it takes no new message while the others go on.
 *
 * @author Celeriac team
 */
final class OutcomePipeline {

	private static final Logger logger = LoggerFactory.getLogger(TaskWorker.class);

	private final @Nullable ResultStore results;

	private final int bound;

	private final String worker;

	private final FailedStep failedStep;

	private final ThreadPoolExecutor completions;

	private final ScheduledThreadPoolExecutor retries;

	private final Object lock = new Object();

	/**
	 * The outcomes not settled yet. One the worker let go (it stopped, or stopped
	 * consuming its queue) is no longer here: its message runs again elsewhere, so what
	 * follows it here must not happen (no late row over a newer one, no second retry).
	 */
	private final Set<PendingOutcome> pending = new HashSet<>();

	private final RunningTasks running = new RunningTasks();

	private final Set<String> closedQueues = new HashSet<>();

	private final Set<String> releasedQueues = new HashSet<>();

	private boolean stopping;

	private boolean released;

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
	 * answer, nor while the bound of waiting outcomes is reached, nor while its queue is
	 * drained. Each admitted message is then {@link #finished(String) finished}.
	 * @param queue the queue the message came from
	 * @return {@code true} to run the message, {@code false} when the worker stops, or
	 * stops consuming the queue (the caller gives the message back)
	 */
	boolean admit(String queue) {
		synchronized (this.lock) {
			while (!this.released && !this.releasedQueues.contains(queue)) {
				if (!this.stopping && !this.closedQueues.contains(queue) && this.outage == null
						&& this.pending.size() < this.bound) {
					this.running.admitted(queue);
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
	 * @param queue the queue the message came from
	 */
	void finished(String queue) {
		synchronized (this.lock) {
			this.running.finished();
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
		PendingOutcome outcome = new PendingOutcome(delivery, message, row, then, repeatable);
		synchronized (this.lock) {
			this.pending.add(outcome);
		}
		write(outcome);
	}

	private boolean abandoned(PendingOutcome outcome) {
		synchronized (this.lock) {
			return !this.pending.contains(outcome);
		}
	}

	private void write(PendingOutcome outcome) {
		if (abandoned(outcome)) {
			return;
		}
		CompletableFuture<Void> written;
		try {
			written = this.results.saveAsync(outcome.row());
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

	private void writeFailed(PendingOutcome outcome, Throwable failure) {
		Duration pause = outcome.nextPause();
		synchronized (this.lock) {
			if (this.outage == null) {
				this.outage = describe(failure);
				this.outageSince = Instant.now();
				logger.warn(
						"Worker {} pauses: the result store does not answer ({}); it takes no new task until "
								+ "it does, and holds {} finished task(s) whose outcome it records then",
						this.worker, this.outage, this.pending.size());
			}
		}
		logger.debug("Outcome of {} not recorded ({}); next attempt in {} ms", outcome.row().taskId(),
				describe(failure), pause.toMillis());
		this.retries.schedule(() -> write(outcome), pause.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void recorded(PendingOutcome outcome) {
		answered();
		if (abandoned(outcome)) {
			logger.debug("Outcome of {} recorded after the worker let its message go; nothing follows it here",
					outcome.message().id());
			return;
		}
		// the follow-up logs and tells the listeners as the task's own thread would
		MDC.put(TaskWorker.TASK_ID_MDC_KEY, outcome.message().id());
		MDC.put(TaskWorker.TASK_NAME_MDC_KEY, outcome.message().task());
		try {
			followUp(outcome);
		}
		finally {
			MDC.remove(TaskWorker.TASK_ID_MDC_KEY);
			MDC.remove(TaskWorker.TASK_NAME_MDC_KEY);
		}
	}

	private void followUp(PendingOutcome outcome) {
		try {
			outcome.then().run();
			settled(outcome);
		}
		catch (RuntimeException ex) {
			if (outcome.repeatable()) {
				Duration pause = outcome.nextPause();
				logger.warn("Task {}[{}] is recorded but what follows failed ({}); trying again in {} ms",
						outcome.message().task(), outcome.message().id(), describe(ex), pause.toMillis());
				this.retries.schedule(() -> this.completions.execute(() -> recorded(outcome)), pause.toMillis(),
						TimeUnit.MILLISECONDS);
				return;
			}
			try {
				this.failedStep.giveBack(outcome.delivery(), outcome.message(), ex);
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
						+ "still wait to be recorded", this.worker, this.outageSince, this.pending.size());
				this.outage = null;
				this.outageSince = null;
				this.lock.notifyAll();
			}
		}
	}

	private void settled(PendingOutcome outcome) {
		synchronized (this.lock) {
			if (this.pending.remove(outcome)) {
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
			this.closedQueues.clear();
			this.releasedQueues.clear();
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
			boolean drained = awaitSettled((queue) -> true, deadline, "stops");
			if (!drained) {
				this.outage = null;
				this.outageSince = null;
			}
			this.released = true;
			this.lock.notifyAll();
			return drained;
		}
	}

	/**
	 * Stops admitting messages from some queues and waits, up to the deadline, until
	 * their admitted messages are finished and their outcomes settled; what is unsettled
	 * then is let go. Messages waiting for admission wait until {@link #release}.
	 * @param queues the queues
	 * @param deadline the deadline, in {@link System#nanoTime()} terms
	 * @return whether every outcome of those queues was settled
	 */
	boolean drain(Collection<String> queues, long deadline) {
		synchronized (this.lock) {
			this.closedQueues.addAll(queues);
			return awaitSettled(queues::contains, deadline, "stops consuming " + queues);
		}
	}

	private boolean awaitSettled(Predicate<String> queues, long deadline, String what) {
		long remaining;
		while ((this.running.anyFrom(queues) || pendingFrom(queues) > 0)
				&& (remaining = deadline - System.nanoTime()) > 0) {
			try {
				TimeUnit.NANOSECONDS.timedWait(this.lock, remaining);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		long left = pendingFrom(queues);
		if (left > 0) {
			logger.warn("Worker {} {} with {} outcome(s) not recorded ({}); their messages go back to the broker "
					+ "unacknowledged and run again", this.worker, what, left, this.outage);
			this.pending.removeIf((outcome) -> queues.test(outcome.delivery().queue()));
			this.lock.notifyAll();
		}
		return left == 0;
	}

	private long pendingFrom(Predicate<String> queues) {
		return this.pending.stream().filter((outcome) -> queues.test(outcome.delivery().queue())).count();
	}

	/**
	 * Lets the messages of drained queues that wait for admission go: they are given
	 * back.
	 */
	void release(Collection<String> queues) {
		synchronized (this.lock) {
			this.releasedQueues.addAll(queues);
			this.running.letGo(queues);
			this.lock.notifyAll();
		}
	}

	/**
	 * Admits the messages of drained queues again, once they are consumed again.
	 */
	void reopen(Collection<String> queues) {
		synchronized (this.lock) {
			this.closedQueues.removeAll(queues);
			this.releasedQueues.removeAll(queues);
			this.lock.notifyAll();
		}
	}

	/**
	 * Tells whether the worker lets the messages of a queue go, stopping or no longer
	 * consuming it: it gives back what it has not finished.
	 */
	boolean lettingGo(String queue) {
		synchronized (this.lock) {
			return this.released || this.releasedQueues.contains(queue) || this.running.currentLetGo();
		}
	}

	OutcomeStatus status() {
		synchronized (this.lock) {
			return new OutcomeStatus(this.pending.size(), this.bound, this.outage != null, this.outage,
					this.outageSince);
		}
	}

	private static String describe(Throwable ex) {
		Throwable shown = (ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null)
				? ex.getCause() : ex;
		return shown.getClass().getName() + ((shown.getMessage() != null) ? ": " + shown.getMessage() : "");
	}

}

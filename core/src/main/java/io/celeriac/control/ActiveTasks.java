package io.celeriac.control;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.celeriac.execution.TaskInterceptor;
import io.celeriac.protocol.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Knows the tasks a worker runs now, with their threads, and how many of each it has run,
 * as Celery's {@code worker.state}: what {@code inspect active} and {@code inspect stats}
 * report, and what {@code revoke(terminate=True)} interrupts. An interceptor around each
 * run of a task.
 *
 * @author Celeriac team
 */
public class ActiveTasks implements TaskInterceptor {

	private final Map<Long, Run> running = new ConcurrentHashMap<>();

	private final AtomicLong runs = new AtomicLong();

	private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();

	private final Set<String> terminated = ConcurrentHashMap.newKeySet();

	private final Clock clock;

	/**
	 * Creates the interceptor on the system clock.
	 */
	public ActiveTasks() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates the interceptor on the given clock.
	 * @param clock tells when a task began
	 */
	public ActiveTasks(Clock clock) {
		this.clock = clock;
	}

	@Override
	public @Nullable Object intercept(TaskMessage task, Invocation invocation) throws Throwable {
		this.totals.computeIfAbsent(task.task(), (name) -> new LongAdder()).increment();
		this.terminated.remove(task.id());
		Run run = new Run(task, Thread.currentThread(), this.clock.instant());
		Long key = this.runs.incrementAndGet();
		this.running.put(key, run);
		try {
			return invocation.proceed();
		}
		finally {
			this.running.remove(key);
			if (run.finish()) {
				// the interruption was for this task, not for what the thread does next
				Thread.interrupted();
				this.terminated.add(task.id());
			}
		}
	}

	/**
	 * Returns the tasks running now, the longest-running first.
	 * @return the tasks with when each began
	 */
	public List<Active> now() {
		return this.running.values()
			.stream()
			.sorted(Comparator.comparing(Run::started))
			.map((run) -> new Active(run.task(), run.started()))
			.toList();
	}

	/**
	 * Returns how many times each task has begun to run on this worker, Celery's
	 * {@code total} in {@code inspect stats}.
	 * @return the counts by task name
	 */
	public Map<String, Long> totals() {
		Map<String, Long> totals = new TreeMap<>();
		this.totals.forEach((name, count) -> totals.put(name, count.sum()));
		return totals;
	}

	/**
	 * Interrupts the running tasks with the given ids.
	 * @param ids the task ids
	 * @return the ids of the tasks interrupted
	 */
	public Set<String> terminate(Collection<String> ids) {
		Set<String> interrupted = new LinkedHashSet<>();
		for (Run run : this.running.values()) {
			if (ids.contains(run.task().id()) && run.interrupt()) {
				interrupted.add(run.task().id());
			}
		}
		return interrupted;
	}

	/**
	 * Tells whether the last run of a task was interrupted by {@link #terminate}, and
	 * forgets it.
	 * @param id the task id
	 * @return {@code true} if it was
	 */
	public boolean wasTerminated(String id) {
		return this.terminated.remove(id);
	}

	/**
	 * A task running now.
	 *
	 * @param task the task's message
	 * @param started when it began to run
	 */
	public record Active(TaskMessage task, Instant started) {

	}

	private static final class Run {

		private final TaskMessage task;

		private final Thread thread;

		private final Instant started;

		private boolean finished;

		private boolean interrupted;

		Run(TaskMessage task, Thread thread, Instant started) {
			this.task = task;
			this.thread = thread;
			this.started = started;
		}

		TaskMessage task() {
			return this.task;
		}

		Instant started() {
			return this.started;
		}

		synchronized boolean interrupt() {
			if (this.finished) {
				return false;
			}
			this.interrupted = true;
			this.thread.interrupt();
			return true;
		}

		/**
		 * Marks the run finished, after which it is never interrupted.
		 * @return whether it was interrupted
		 */
		synchronized boolean finish() {
			this.finished = true;
			return this.interrupted;
		}

	}

}

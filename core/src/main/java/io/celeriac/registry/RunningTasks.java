package io.celeriac.registry;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.execution.TaskInterceptor;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.registry.WorkerDescription.WorkingOn;
import org.jspecify.annotations.Nullable;

/**
 * Knows what a worker works on now: an interceptor around each run of a task that notes
 * the task while its method runs, so that the worker's heartbeat can announce it. The
 * note is removed however the run ends.
 *
 * @author Celeriac team
 */
public class RunningTasks implements TaskInterceptor {

	private final Map<Long, WorkingOn> running = new ConcurrentHashMap<>();

	private final AtomicLong runs = new AtomicLong();

	private final Clock clock;

	/**
	 * Creates the interceptor on the system clock.
	 */
	public RunningTasks() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates the interceptor on the given clock.
	 * @param clock tells when a task began
	 */
	public RunningTasks(Clock clock) {
		this.clock = clock;
	}

	@Override
	public @Nullable Object intercept(TaskMessage task, Invocation invocation) throws Throwable {
		// one task id may run twice at once (a redelivery), so runs are keyed by a
		// counter
		Long run = this.runs.incrementAndGet();
		this.running.put(run, new WorkingOn(task.id(), task.task(), this.clock.instant()));
		try {
			return invocation.proceed();
		}
		finally {
			this.running.remove(run);
		}
	}

	/**
	 * Returns the tasks running now, the longest-running first.
	 * @return the tasks
	 */
	public List<WorkingOn> now() {
		return this.running.values().stream().sorted(Comparator.comparing(WorkingOn::since)).toList();
	}

}

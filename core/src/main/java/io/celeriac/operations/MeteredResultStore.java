package io.celeriac.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ResultStore} that counts the states workers record, as
 * {@code celeriac.tasks{name, queue, state}}, and times each run from STARTED to its
 * final state as {@code celeriac.tasks.runtime{name, queue, state}}. Tags are the task
 * name and routing key, never ids, so their number stays bounded. The run time needs the
 * STARTED state ({@code celeriac.result.track-started}, on by default).
 *
 * @author Celeriac team
 */
public class MeteredResultStore implements ResultStore {

	/**
	 * The counter of recorded states.
	 */
	public static final String TASKS = "celeriac.tasks";

	/**
	 * The timer of runs.
	 */
	public static final String RUN_TIME = "celeriac.tasks.runtime";

	private static final String UNKNOWN = "unknown";

	// a bound, so that tasks whose final state is never recorded cannot grow it forever
	private static final int MAX_RUNNING = 100_000;

	private final ResultStore delegate;

	private final MeterRegistry registry;

	private final Map<String, Instant> started = new ConcurrentHashMap<>();

	/**
	 * Wraps a result store.
	 * @param delegate the store that records
	 * @param registry where the meters go
	 */
	public MeteredResultStore(ResultStore delegate, MeterRegistry registry) {
		this.delegate = delegate;
		this.registry = registry;
	}

	/**
	 * Returns the wrapped store.
	 * @return the store
	 */
	public ResultStore delegate() {
		return this.delegate;
	}

	@Override
	public void save(TaskResult result) {
		this.delegate.save(result);
		String state = TaskFailure.expired().equals(result.failure()) ? "expired" : stateTag(result.state());
		if (state == null) {
			return;
		}
		Tags tags = Tags.of("name", (result.name() != null) ? result.name() : UNKNOWN, "queue",
				(result.queue() != null) ? result.queue() : UNKNOWN);
		this.registry.counter(TASKS, tags.and("state", state)).increment();
		if (result.state() == TaskState.STARTED) {
			if (this.started.size() < MAX_RUNNING) {
				this.started.put(result.taskId(), result.dateDone());
			}
			return;
		}
		Instant start = this.started.remove(result.taskId());
		if (start != null && result.state().isFinal()) {
			Duration runTime = Duration.between(start, result.dateDone());
			Timer.builder(RUN_TIME)
				.tags(tags.and("state", state))
				.register(this.registry)
				.record(runTime.isNegative() ? Duration.ZERO : runTime);
		}
	}

	@Override
	public Optional<TaskResult> find(String taskId) {
		return this.delegate.find(taskId);
	}

	@Override
	public Map<String, TaskResult> findAll(Collection<String> taskIds) {
		return this.delegate.findAll(taskIds);
	}

	private static @Nullable String stateTag(TaskState state) {
		return switch (state) {
			case STARTED -> "started";
			case SUCCESS -> "succeeded";
			case FAILURE -> "failed";
			case RETRY -> "retried";
			case REVOKED -> "revoked";
			case PENDING -> null;
		};
	}

}

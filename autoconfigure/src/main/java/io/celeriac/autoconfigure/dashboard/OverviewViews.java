package io.celeriac.autoconfigure.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.celeriac.autoconfigure.dashboard.ErrorQueueViews.ErrorQueueSummary;
import io.celeriac.autoconfigure.dashboard.QueueViews.QueuesView;
import io.celeriac.autoconfigure.dashboard.TaskViews.TimelineView;
import io.celeriac.autoconfigure.dashboard.WorkerViews.WorkersView;
import org.jspecify.annotations.Nullable;

/**
 * Puts together what the overview page shows: the tasks per state over the last hour, the
 * queues' depths, how many workers are up and how full the error queues are.
 *
 * @author Celeriac team
 */
public class OverviewViews {

	/**
	 * The period the overview counts tasks over.
	 */
	public static final Duration PERIOD = Duration.ofHours(1);

	private final TaskViews tasks;

	private final QueueViews queues;

	private final WorkerViews workers;

	private final ErrorQueueViews errorQueues;

	private final Clock clock;

	/**
	 * Creates the overview.
	 * @param tasks the task views
	 * @param queues the queue views
	 * @param workers the worker views
	 * @param errorQueues the error-queue views
	 * @param clock the clock the last hour is measured by
	 */
	public OverviewViews(TaskViews tasks, QueueViews queues, WorkerViews workers, ErrorQueueViews errorQueues,
			Clock clock) {
		this.tasks = tasks;
		this.queues = queues;
		this.workers = workers;
		this.errorQueues = errorQueues;
		this.clock = clock;
	}

	/**
	 * Reads the overview.
	 * @return the overview
	 */
	public OverviewView overview() {
		Instant now = this.clock.instant();
		TimelineView timeline = this.tasks.timeline(now.minus(PERIOD));
		QueuesView queues = this.queues.queues();
		WorkersView workers = this.workers.workers();
		return new OverviewView(now, (timeline != null) ? timeline.counts() : null, timeline, queues,
				workers.available() ? workers.workers().size() : null, this.errorQueues.summaries());
	}

	/**
	 * The overview.
	 *
	 * @param now when it was read
	 * @param stateCounts how many tasks seen in the last hour are in each state, or
	 * {@code null} without a task history
	 * @param timeline the same per minute, or {@code null} without a task history
	 * @param queues the queues
	 * @param workersUp how many workers are live, or {@code null} without a worker
	 * registry
	 * @param errorQueues the error queues' depths, or {@code null} without a broker
	 */
	public record OverviewView(Instant now, @Nullable Map<String, Long> stateCounts, @Nullable TimelineView timeline,
			QueuesView queues, @Nullable Integer workersUp, @Nullable List<ErrorQueueSummary> errorQueues) {

	}

}

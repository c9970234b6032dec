package io.celeriac.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.celeriac.dashboard.QueueViews.QueueView;
import io.celeriac.dashboard.QueueViews.QueuesView;
import io.celeriac.dashboard.TaskViews.TimelineView;
import io.celeriac.dashboard.WorkerViews.WorkersView;
import org.jspecify.annotations.Nullable;

/**
 * Puts together what the overview page shows: the tasks per state over the last hour, the
 * queues' depths, how many workers are up and how full the error queues are (the monitor
 * queue's among them).
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

	private final Clock clock;

	/**
	 * Creates the overview.
	 * @param tasks the task views
	 * @param queues the queue views
	 * @param workers the worker views
	 * @param clock the clock the last hour is measured by
	 */
	public OverviewViews(TaskViews tasks, QueueViews queues, WorkerViews workers, Clock clock) {
		this.tasks = tasks;
		this.queues = queues;
		this.workers = workers;
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
				workers.available() ? workers.workers().size() : null, queues.available() ? errorQueues(queues) : null);
	}

	/**
	 * The error queues of the queues listed and of the monitor queue.
	 */
	private List<ErrorQueueSummary> errorQueues(QueuesView queues) {
		List<ErrorQueueSummary> errorQueues = new ArrayList<>();
		queues.queues().forEach((queue) -> errorQueues.add(ErrorQueueSummary.of(queue)));
		QueueView monitor = this.queues.monitorQueue(queues);
		if (monitor != null) {
			errorQueues.add(ErrorQueueSummary.of(monitor));
		}
		return errorQueues;
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

	/**
	 * An error queue's size.
	 *
	 * @param name its full name
	 * @param service the service whose queue it serves
	 * @param messages how many messages it holds, {@code -1} if it does not exist
	 */
	public record ErrorQueueSummary(String name, String service, long messages) {

		static ErrorQueueSummary of(QueueView queue) {
			return new ErrorQueueSummary(queue.errorQueue(), queue.service(), queue.errorMessages());
		}

	}

}

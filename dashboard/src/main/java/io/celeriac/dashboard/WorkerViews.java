package io.celeriac.dashboard;

import java.time.Instant;
import java.util.List;

import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.WorkerRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Turns the worker registry into what the workers page shows.
 *
 * @author Celeriac team
 */
public class WorkerViews {

	private final @Nullable WorkerRegistry registry;

	/**
	 * Creates the views.
	 * @param registry the worker registry, or {@code null} when the application has none
	 */
	public WorkerViews(@Nullable WorkerRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Reads the live workers.
	 * @return the workers
	 */
	public WorkersView workers() {
		if (this.registry == null) {
			return new WorkersView(false, List.of());
		}
		return new WorkersView(true, this.registry.workers().stream().map(WorkerView::of).toList());
	}

	/**
	 * The live workers.
	 *
	 * @param available whether the application has a worker registry
	 * @param workers the workers heard from within their window, by id
	 */
	public record WorkersView(boolean available, List<WorkerView> workers) {

	}

	/**
	 * One worker.
	 *
	 * @param id its id
	 * @param host its host
	 * @param pid its process id
	 * @param queues the queues it consumes
	 * @param started when it started
	 * @param version the Celeriac version it runs
	 * @param consuming whether it takes messages
	 * @param heartbeat when it last announced itself
	 * @param workingOn the tasks it runs now
	 */
	public record WorkerView(String id, String host, long pid, List<String> queues, Instant started, String version,
			boolean consuming, Instant heartbeat, List<WorkingOnView> workingOn) {

		static WorkerView of(WorkerDescription worker) {
			return new WorkerView(worker.id(), worker.host(), worker.pid(), worker.queues(), worker.started(),
					worker.version(), worker.consuming(), worker.heartbeat(),
					worker.workingOn()
						.stream()
						.map((task) -> new WorkingOnView(task.taskId(), task.task(), task.since()))
						.toList());
		}

	}

	/**
	 * A task a worker runs now.
	 *
	 * @param taskId its id
	 * @param task its name
	 * @param since when it began
	 */
	public record WorkingOnView(String taskId, String task, Instant since) {

	}

}

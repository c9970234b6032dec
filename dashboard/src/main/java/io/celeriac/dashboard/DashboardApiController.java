package io.celeriac.dashboard;

import java.util.List;
import java.util.Map;

import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.dashboard.CacheViews.RegionsView;
import io.celeriac.dashboard.ErrorQueueViews.ActionResult;
import io.celeriac.dashboard.ErrorQueueViews.ErrorQueuesView;
import io.celeriac.dashboard.OverviewViews.OverviewView;
import io.celeriac.dashboard.QueueViews.QueuesView;
import io.celeriac.dashboard.QueueViews.WorkerState;
import io.celeriac.dashboard.TaskViews.TaskDetailView;
import io.celeriac.dashboard.TaskViews.TaskPageView;
import io.celeriac.dashboard.WorkerViews.WorkersView;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's JSON API, under {@code <celeriac.dashboard.path>/api}: reads answer
 * {@code GET}, actions {@code POST}. It only hands the views' records over.
 *
 * @author Celeriac team
 */
@RestController
@RequestMapping("${celeriac.dashboard.path:/celeriac}/api")
public class DashboardApiController {

	private final DashboardSettings settings;

	private final OverviewViews overview;

	private final TaskViews tasks;

	private final QueueViews queues;

	private final WorkerViews workers;

	private final ErrorQueueViews errorQueues;

	private final CacheViews caches;

	/**
	 * Creates the controller.
	 * @param settings what the pages need to know
	 * @param overview the overview
	 * @param tasks the task views
	 * @param queues the queue views
	 * @param workers the worker views
	 * @param errorQueues the error-queue views
	 * @param caches the cache views
	 */
	public DashboardApiController(DashboardSettings settings, OverviewViews overview, TaskViews tasks,
			QueueViews queues, WorkerViews workers, ErrorQueueViews errorQueues, CacheViews caches) {
		this.settings = settings;
		this.overview = overview;
		this.tasks = tasks;
		this.queues = queues;
		this.workers = workers;
		this.errorQueues = errorQueues;
		this.caches = caches;
	}

	/**
	 * Returns what the pages need to know: how often to refresh, the page size.
	 * @return the settings
	 */
	@GetMapping("/settings")
	public DashboardSettings settings() {
		return this.settings;
	}

	/**
	 * Returns the overview.
	 * @return the overview
	 */
	@GetMapping("/overview")
	public OverviewView overview() {
		return this.overview.overview();
	}

	/**
	 * Searches tasks.
	 * @param id an exact task id
	 * @param name an exact task name
	 * @param state a state
	 * @param from the earliest seen-at time
	 * @param to the latest seen-at time, exclusive
	 * @param after where the previous page ended
	 * @param limit the most tasks in the page
	 * @return the page
	 */
	@GetMapping("/tasks")
	public TaskPageView tasks(@RequestParam(required = false) @Nullable String id,
			@RequestParam(required = false) @Nullable String name,
			@RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String after,
			@RequestParam(required = false) @Nullable Integer limit) {
		return this.tasks.search(id, name, state, from, to, after, limit);
	}

	/**
	 * Reads a task.
	 * @param taskId the task id
	 * @return the task, or 404
	 */
	@GetMapping("/tasks/{taskId}")
	public ResponseEntity<TaskDetailView> task(@PathVariable String taskId) {
		return ResponseEntity.of(this.tasks.detail(taskId));
	}

	/**
	 * Reads the queues.
	 * @return the queues
	 */
	@GetMapping("/queues")
	public QueuesView queues() {
		return this.queues.queues();
	}

	/**
	 * Pauses this application's worker.
	 * @return its state after
	 */
	@PostMapping("/worker/pause")
	public WorkerState pause() {
		return this.queues.pause();
	}

	/**
	 * Resumes this application's worker.
	 * @return its state after
	 */
	@PostMapping("/worker/resume")
	public WorkerState resume() {
		return this.queues.resume();
	}

	/**
	 * Reads the live workers.
	 * @return the workers
	 */
	@GetMapping("/workers")
	public WorkersView workers() {
		return this.workers.workers();
	}

	/**
	 * Reads the error queues with their first messages.
	 * @return the error queues
	 */
	@GetMapping("/error-queues")
	public ErrorQueuesView errorQueues() {
		return this.errorQueues.errorQueues();
	}

	/**
	 * Requeues the messages of some tasks.
	 * @param queue the error queue's full name
	 * @param selection the tasks
	 * @return what was done
	 */
	@PostMapping("/error-queues/{queue}/requeue")
	public ActionResult requeue(@PathVariable String queue, @RequestBody Selection selection) {
		return this.errorQueues.requeue(queue, selection.taskIds());
	}

	/**
	 * Discards the messages of some tasks.
	 * @param queue the error queue's full name
	 * @param selection the tasks
	 * @return what was done
	 */
	@PostMapping("/error-queues/{queue}/discard")
	public ActionResult discard(@PathVariable String queue, @RequestBody Selection selection) {
		return this.errorQueues.discard(queue, selection.taskIds());
	}

	/**
	 * Requeues every message of an error queue.
	 * @param queue the error queue's full name
	 * @return what was done
	 */
	@PostMapping("/error-queues/{queue}/requeue-all")
	public ActionResult requeueAll(@PathVariable String queue) {
		return this.errorQueues.requeueAll(queue);
	}

	/**
	 * Discards every message of an error queue.
	 * @param queue the error queue's full name
	 * @return what was done
	 */
	@PostMapping("/error-queues/{queue}/discard-all")
	public ActionResult discardAll(@PathVariable String queue) {
		return this.errorQueues.discardAll(queue);
	}

	/**
	 * Reads the cache regions.
	 * @return the regions
	 */
	@GetMapping("/caches")
	public RegionsView caches() {
		return this.caches.regions();
	}

	/**
	 * Invalidates a cache region.
	 * @param region the region's name
	 * @return the region
	 */
	@PostMapping("/caches/{region}/invalidate")
	public Map<String, String> invalidate(@PathVariable String region) {
		this.caches.invalidate(region);
		return Map.of("region", region, "action", "invalidate");
	}

	@ExceptionHandler({ IllegalArgumentException.class, CacheConfigurationException.class })
	ResponseEntity<Map<String, String>> badRequest(RuntimeException ex) {
		return error(HttpStatus.BAD_REQUEST, ex);
	}

	@ExceptionHandler(IllegalStateException.class)
	ResponseEntity<Map<String, String>> conflict(RuntimeException ex) {
		return error(HttpStatus.CONFLICT, ex);
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, RuntimeException ex) {
		return ResponseEntity.status(status)
			.body(Map.of("error", (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName()));
	}

	/**
	 * The tasks an action applies to.
	 *
	 * @param taskIds the tasks' ids
	 */
	public record Selection(List<String> taskIds) {

		public Selection {
			taskIds = (taskIds != null) ? List.copyOf(taskIds) : List.of();
		}

	}

}

package io.celeriac.operations.endpoint;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.monitor.TaskQuery;
import io.celeriac.monitor.TaskSummary;
import io.celeriac.operations.QueueDepth;
import io.celeriac.operations.QueueInspector;
import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.schedule.RecurringTaskScheduler;
import io.celeriac.schedule.ScheduleStatus;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code celeriac} Actuator endpoint: reads the topology with queue depths, the
 * chosen backends, the registered tasks, the workers of the worker registry, the tasks
 * the monitor saw last (when this application runs the monitor) and the cache regions'
 * statistics; writes pause and resume the worker's consumption
 * ({@code POST /actuator/celeriac/pause}) and requeue or discard an error queue's
 * messages ({@code POST /actuator/celeriac/requeue} with {@code {"queue":
 * "dev-reports.error", "limit": 100}}), only of the error queues of this application's
 * topology. Secured as every Actuator endpoint is.
 *
 * @author Celeriac team
 */
@Endpoint(id = "celeriac")
public class CeleriacEndpoint {

	private static final Log logger = LogFactory.getLog(CeleriacEndpoint.class);

	private static final int DEFAULT_LIMIT = 1_000;

	/**
	 * How many of the tasks the monitor saw last the endpoint shows.
	 */
	static final int RECENT_TASKS = 20;

	private final QueueInspector inspector;

	private final Map<String, String> backends;

	private final @Nullable TaskRegistry registry;

	private final @Nullable TaskWorker worker;

	private final ErrorQueueService errorQueues;

	private final Sources sources;

	/**
	 * Creates the endpoint.
	 * @param inspector reads the queues
	 * @param backends the backend chosen for each capability, by capability name, e.g.
	 * {@code broker=rabbit}
	 * @param registry the registered tasks, if any
	 * @param worker the worker, if this application runs one
	 * @param errorQueues requeues and discards error-queue messages
	 */
	public CeleriacEndpoint(QueueInspector inspector, Map<String, String> backends, @Nullable TaskRegistry registry,
			@Nullable TaskWorker worker, ErrorQueueService errorQueues) {
		this(inspector, backends, registry, worker, errorQueues, new Sources(null, null, null, null));
	}

	/**
	 * Creates the endpoint with what it reads beyond the broker.
	 * @param inspector reads the queues
	 * @param backends the backend chosen for each capability, by capability name, e.g.
	 * {@code broker=rabbit}
	 * @param registry the registered tasks, if any
	 * @param worker the worker, if this application runs one
	 * @param errorQueues requeues and discards error-queue messages
	 * @param sources the worker registry, the task history, the cache regions and the
	 * recurring task scheduler, each if present
	 */
	public CeleriacEndpoint(QueueInspector inspector, Map<String, String> backends, @Nullable TaskRegistry registry,
			@Nullable TaskWorker worker, ErrorQueueService errorQueues, Sources sources) {
		this.inspector = inspector;
		this.backends = new TreeMap<>(backends);
		this.registry = registry;
		this.worker = worker;
		this.errorQueues = errorQueues;
		this.sources = sources;
	}

	/**
	 * Describes Celeriac in this application.
	 * @return the description
	 */
	@ReadOperation
	public CeleriacDescriptor celeriac() {
		Topology topology = this.inspector.topology();
		List<QueueDepth> queues = this.inspector.inspect();
		Set<String> tasks = (this.registry != null) ? new TreeSet<>(this.registry.names()) : Set.of();
		WorkerDescriptor worker = (this.worker != null) ? new WorkerDescriptor(this.worker.isRunning()) : null;
		WorkerRegistry workers = this.sources.workers();
		CacheRegions cache = this.sources.cache();
		RecurringTaskScheduler schedules = this.sources.schedules();
		return new CeleriacDescriptor(new TopologyDescriptor(topology.exchange(), topology.queueNamePrefix(), queues),
				this.backends, tasks, worker, (workers != null) ? workers.workers() : null, recentTasks(),
				(cache != null) ? cache.statistics() : null, (schedules != null) ? schedules.status() : null);
	}

	private @Nullable List<RecentTask> recentTasks() {
		TaskHistory history = this.sources.tasks();
		if (history == null) {
			return null;
		}
		return history.search(TaskQuery.recent(RECENT_TASKS)).tasks().stream().map(RecentTask::of).toList();
	}

	/**
	 * Runs an operation: {@code pause} or {@code resume} the worker, {@code requeue} or
	 * {@code discard} the messages of an error queue.
	 * @param operation the operation
	 * @param queue the error queue's full name, for requeue and discard
	 * @param limit the most messages to move, 1000 by default
	 * @return what was done
	 * @throws InvalidEndpointRequestException (400) if the queue is not an error queue of
	 * this application's topology
	 */
	@WriteOperation
	public OperationResult operate(@Selector String operation, @Nullable String queue, @Nullable Integer limit) {
		return switch (operation) {
			case "pause" -> {
				worker().stop();
				yield new OperationResult(operation, null, null, worker().isRunning());
			}
			case "resume" -> {
				worker().start();
				yield new OperationResult(operation, null, null, worker().isRunning());
			}
			case "requeue" -> new OperationResult(operation, errorQueue(queue),
					this.errorQueues.requeueFirst(errorQueue(queue), limit(limit)), null);
			case "discard" -> new OperationResult(operation, errorQueue(queue),
					this.errorQueues.discardFirst(errorQueue(queue), limit(limit)), null);
			default -> throw new IllegalArgumentException(
					"Unknown operation '" + operation + "'; use pause, resume, requeue or discard");
		};
	}

	private TaskWorker worker() {
		if (this.worker == null) {
			throw new IllegalStateException("This application runs no Celeriac worker (celeriac.worker.enabled)");
		}
		return this.worker;
	}

	private String errorQueue(@Nullable String queue) {
		if (queue == null || queue.isBlank()) {
			throw new IllegalArgumentException("Name the error queue, e.g. {\"queue\": \"dev-reports.error\"}");
		}
		Set<String> own = ownErrorQueues();
		if (!own.contains(queue)) {
			String message = "'" + queue + "' is not an error queue of this application's topology; its error queues "
					+ "are " + own + ". Requeue or discard it from an application whose topology has its queue, or add "
					+ "the service to celeriac.topology.queues";
			// over HTTP the reason does not reach the response body by default
			// (server.error.include-message), so the operator finds it in the log
			logger.warn("Refused a celeriac endpoint operation: " + message);
			throw new InvalidEndpointRequestException(message, message);
		}
		return queue;
	}

	/**
	 * Returns the error queues of the topology's service queues and of the queues this
	 * application's worker consumes: other applications on the same broker and prefix
	 * have error queues too, and they are not this endpoint's to empty.
	 */
	private Set<String> ownErrorQueues() {
		Topology topology = this.inspector.topology();
		Set<String> own = new LinkedHashSet<>(topology.errorQueueNames());
		this.inspector.queues().forEach((queue) -> own.add(topology.errorQueueName(queue)));
		return own;
	}

	private static int limit(@Nullable Integer limit) {
		return (limit != null) ? limit : DEFAULT_LIMIT;
	}

	/**
	 * Celeriac in this application.
	 *
	 * @param topology the topology and the queues' depths
	 * @param backends the backend of each capability
	 * @param tasks the registered task names
	 * @param worker the worker, or {@code null} if this application runs none
	 * @param workers the live workers of the worker registry (every process's when it is
	 * on Redis), or {@code null} without a registry
	 * @param recentTasks the tasks the monitor saw last, with their state, or
	 * {@code null} when this application has no task history (it does not run the
	 * monitor)
	 * @param cache each cache region's hits, misses and stale serves, or {@code null}
	 * without cache regions
	 * @param schedules each recurring schedule with its last and next runs, or
	 * {@code null} when the application publishes no recurring tasks
	 */
	public record CeleriacDescriptor(TopologyDescriptor topology, Map<String, String> backends, Set<String> tasks,
			@Nullable WorkerDescriptor worker, @Nullable List<WorkerDescription> workers,
			@Nullable List<RecentTask> recentTasks, @Nullable List<CacheStatistics> cache,
			@Nullable List<ScheduleStatus> schedules) {

	}

	/**
	 * What the endpoint reads beyond the broker, each {@code null} when the application
	 * has none.
	 *
	 * @param workers the worker registry
	 * @param tasks the task history (the monitor's task table with each task's state in
	 * the result store), for the recent tasks
	 * @param cache the cache regions
	 * @param schedules the recurring task scheduler
	 */
	public record Sources(@Nullable WorkerRegistry workers, @Nullable TaskHistory tasks, @Nullable CacheRegions cache,
			@Nullable RecurringTaskScheduler schedules) {

	}

	/**
	 * A task the monitor saw, without its arguments: a line of the task history.
	 *
	 * @param taskId the task id
	 * @param name the task name
	 * @param routingKey the routing key it was published with
	 * @param seenAt when the monitor saw it
	 * @param retries how many times it was retried before
	 * @param state its state, {@code PENDING} while the result store records none
	 * @param worker the worker that recorded that state, if one did
	 * @param dateDone when that state was recorded, if it was
	 */
	public record RecentTask(String taskId, String name, String routingKey, Instant seenAt, int retries, String state,
			@Nullable String worker, @Nullable Instant dateDone) {

		static RecentTask of(TaskSummary summary) {
			return new RecentTask(summary.taskId(), summary.name(), summary.routingKey(), summary.seenAt(),
					summary.retries(), summary.state().name(), summary.worker(), summary.dateDone());
		}

	}

	/**
	 * The topology.
	 *
	 * @param exchange the topic exchange
	 * @param queueNamePrefix the prefix of every queue name
	 * @param queues the worker's queues with their error queues and depths
	 */
	public record TopologyDescriptor(String exchange, String queueNamePrefix, List<QueueDepth> queues) {

	}

	/**
	 * The worker.
	 *
	 * @param running whether it consumes its queues (not paused)
	 */
	public record WorkerDescriptor(boolean running) {

	}

	/**
	 * What an operation did.
	 *
	 * @param operation the operation
	 * @param queue the error queue, for requeue and discard
	 * @param messages how many messages were requeued or discarded
	 * @param running whether the worker consumes after pause or resume
	 */
	public record OperationResult(String operation, @Nullable String queue, @Nullable Integer messages,
			@Nullable Boolean running) {

	}

}

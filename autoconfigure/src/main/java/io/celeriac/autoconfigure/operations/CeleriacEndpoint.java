package io.celeriac.autoconfigure.operations;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.celeriac.autoconfigure.CeleriacBackends;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.operations.QueueDepth;
import io.celeriac.operations.QueueInspector;
import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
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

	private final CeleriacBackends backends;

	private final @Nullable TaskRegistry registry;

	private final @Nullable TaskWorker worker;

	private final ErrorQueueService errorQueues;

	private final Sources sources;

	/**
	 * Creates the endpoint.
	 * @param inspector reads the queues
	 * @param backends the chosen backends
	 * @param registry the registered tasks, if any
	 * @param worker the worker, if this application runs one
	 * @param errorQueues requeues and discards error-queue messages
	 */
	public CeleriacEndpoint(QueueInspector inspector, CeleriacBackends backends, @Nullable TaskRegistry registry,
			@Nullable TaskWorker worker, ErrorQueueService errorQueues) {
		this(inspector, backends, registry, worker, errorQueues, new Sources(null, null, null, null, null));
	}

	/**
	 * Creates the endpoint with what it reads beyond the broker.
	 * @param inspector reads the queues
	 * @param backends the chosen backends
	 * @param registry the registered tasks, if any
	 * @param worker the worker, if this application runs one
	 * @param errorQueues requeues and discards error-queue messages
	 * @param sources the worker registry, the monitor's task table, the result store and
	 * the cache regions, each if present
	 */
	public CeleriacEndpoint(QueueInspector inspector, CeleriacBackends backends, @Nullable TaskRegistry registry,
			@Nullable TaskWorker worker, ErrorQueueService errorQueues, Sources sources) {
		this.inspector = inspector;
		this.backends = backends;
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
		Map<String, String> backends = new TreeMap<>();
		this.backends.chosen()
			.forEach((capability, backend) -> backends.put(capability.name().toLowerCase(),
					backend.name().toLowerCase()));
		Set<String> tasks = (this.registry != null) ? new TreeSet<>(this.registry.names()) : Set.of();
		WorkerDescriptor worker = (this.worker != null) ? new WorkerDescriptor(this.worker.isRunning()) : null;
		WorkerRegistry workers = this.sources.workers();
		CacheRegions cache = this.sources.cache();
		RecurringTaskScheduler schedules = this.sources.schedules();
		return new CeleriacDescriptor(new TopologyDescriptor(topology.exchange(), topology.queueNamePrefix(), queues),
				backends, tasks, worker, (workers != null) ? workers.workers() : null, recentTasks(),
				(cache != null) ? cache.statistics() : null, (schedules != null) ? schedules.status() : null);
	}

	private @Nullable List<RecentTask> recentTasks() {
		TaskRecordStore records = this.sources.taskRecords();
		if (records == null) {
			return null;
		}
		ResultStore results = this.sources.results();
		return records.recent(RECENT_TASKS).stream().map((record) -> {
			TaskResult result = (results != null) ? results.find(record.taskId()).orElse(null) : null;
			return RecentTask.of(record, result);
		}).toList();
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
	 * {@code null} when this application does not run the monitor
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
	 * @param taskRecords the monitor's task table
	 * @param results the result store, for the state of recent tasks
	 * @param cache the cache regions
	 * @param schedules the recurring task scheduler
	 */
	public record Sources(@Nullable WorkerRegistry workers, @Nullable TaskRecordStore taskRecords,
			@Nullable ResultStore results, @Nullable CacheRegions cache, @Nullable RecurringTaskScheduler schedules) {

		/**
		 * Creates the sources of an application without recurring tasks.
		 * @param workers the worker registry
		 * @param taskRecords the monitor's task table
		 * @param results the result store
		 * @param cache the cache regions
		 */
		public Sources(@Nullable WorkerRegistry workers, @Nullable TaskRecordStore taskRecords,
				@Nullable ResultStore results, @Nullable CacheRegions cache) {
			this(workers, taskRecords, results, cache, null);
		}

	}

	/**
	 * A task the monitor saw, without its arguments.
	 *
	 * @param taskId the task id
	 * @param name the task name
	 * @param routingKey the routing key it was published with
	 * @param seenAt when the monitor saw it
	 * @param retries how many times it was retried before
	 * @param eta when it should run, if delayed
	 * @param parentId the task that sent it, if any
	 * @param rootId the first task of its workflow
	 * @param origin the process that sent it
	 * @param state its state in the result store, if recorded there
	 * @param worker the worker that recorded that state
	 * @param dateDone when that state was recorded
	 */
	public record RecentTask(String taskId, String name, String routingKey, Instant seenAt, int retries,
			@Nullable String eta, @Nullable String parentId, @Nullable String rootId, @Nullable String origin,
			@Nullable String state, @Nullable String worker, @Nullable Instant dateDone) {

		static RecentTask of(TaskRecord record, @Nullable TaskResult result) {
			return new RecentTask(record.taskId(), record.name(), record.routingKey(), record.seenAt(),
					record.retries(), record.eta(), record.parentId(), record.rootId(), record.origin(),
					(result != null) ? result.state().name() : null, (result != null) ? result.worker() : null,
					(result != null) ? result.dateDone() : null);
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

package io.celeriac.autoconfigure.operations;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.celeriac.autoconfigure.CeleriacBackends;
import io.celeriac.operations.ErrorQueueMessages;
import io.celeriac.operations.QueueDepth;
import io.celeriac.operations.QueueInspector;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code celeriac} Actuator endpoint: reads the topology with queue depths, the
 * chosen backends and the registered tasks; writes pause and resume the worker's
 * consumption ({@code POST /actuator/celeriac/pause}) and requeue or discard an error
 * queue's messages ({@code POST /actuator/celeriac/requeue} with {@code {"queue":
 * "dev-reports.error", "limit": 100}}). Secured as every Actuator endpoint is.
 *
 * @author Celeriac team
 */
@Endpoint(id = "celeriac")
public class CeleriacEndpoint {

	private static final int DEFAULT_LIMIT = 1_000;

	private final QueueInspector inspector;

	private final CeleriacBackends backends;

	private final @Nullable TaskRegistry registry;

	private final @Nullable TaskWorker worker;

	private final ErrorQueueMessages errorQueues;

	/**
	 * Creates the endpoint.
	 * @param inspector reads the queues
	 * @param backends the chosen backends
	 * @param registry the registered tasks, if any
	 * @param worker the worker, if this application runs one
	 * @param errorQueues requeues and discards error-queue messages
	 */
	public CeleriacEndpoint(QueueInspector inspector, CeleriacBackends backends, @Nullable TaskRegistry registry,
			@Nullable TaskWorker worker, ErrorQueueMessages errorQueues) {
		this.inspector = inspector;
		this.backends = backends;
		this.registry = registry;
		this.worker = worker;
		this.errorQueues = errorQueues;
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
		return new CeleriacDescriptor(new TopologyDescriptor(topology.exchange(), topology.queueNamePrefix(), queues),
				backends, tasks, worker);
	}

	/**
	 * Runs an operation: {@code pause} or {@code resume} the worker, {@code requeue} or
	 * {@code discard} the messages of an error queue.
	 * @param operation the operation
	 * @param queue the error queue's full name, for requeue and discard
	 * @param limit the most messages to move, 1000 by default
	 * @return what was done
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
					this.errorQueues.requeue(errorQueue(queue), limit(limit)), null);
			case "discard" -> new OperationResult(operation, errorQueue(queue),
					this.errorQueues.discard(errorQueue(queue), limit(limit)), null);
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

	private static String errorQueue(@Nullable String queue) {
		if (queue == null || queue.isBlank()) {
			throw new IllegalArgumentException("Name the error queue, e.g. {\"queue\": \"dev-reports.error\"}");
		}
		return queue;
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
	 */
	public record CeleriacDescriptor(TopologyDescriptor topology, Map<String, String> backends, Set<String> tasks,
			@Nullable WorkerDescriptor worker) {

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

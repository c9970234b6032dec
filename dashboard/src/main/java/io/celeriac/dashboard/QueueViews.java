package io.celeriac.dashboard;

import java.util.List;

import io.celeriac.broker.Broker;
import io.celeriac.broker.QueueStats;
import io.celeriac.operations.QueueDepth;
import io.celeriac.operations.QueueInspector;
import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import org.jspecify.annotations.Nullable;

/**
 * Turns the queue inspector, the broker's queue figures and the worker registry into what
 * the queues page shows, and pauses or resumes this application's worker as the
 * {@code celeriac} Actuator endpoint does.
 *
 * @author Celeriac team
 */
public class QueueViews {

	private final @Nullable QueueInspector inspector;

	private final @Nullable Broker broker;

	private final @Nullable TaskWorker worker;

	private final @Nullable WorkerRegistry workers;

	/**
	 * Creates the views.
	 * @param inspector reads the queues, or {@code null} without a broker
	 * @param broker the broker, for in-flight and delayed counts
	 * @param worker this application's worker, if it runs one
	 * @param workers the worker registry, to count each queue's consumers
	 */
	public QueueViews(@Nullable QueueInspector inspector, @Nullable Broker broker, @Nullable TaskWorker worker,
			@Nullable WorkerRegistry workers) {
		this.inspector = inspector;
		this.broker = broker;
		this.worker = worker;
		this.workers = workers;
	}

	/**
	 * Reads the queues.
	 * @return the queues, with this application's worker
	 */
	public QueuesView queues() {
		if (this.inspector == null) {
			return new QueuesView(false, List.of(), workerState());
		}
		List<WorkerDescription> live = (this.workers != null) ? this.workers.workers() : null;
		Topology topology = this.inspector.topology();
		List<QueueView> queues = this.inspector.inspect().stream().map((depth) -> {
			QueueStats stats = (this.broker != null && depth.exists()) ? this.broker.stats(depth.name()) : null;
			Integer consumers = (live != null)
					? (int) live.stream().filter((worker) -> worker.queues().contains(depth.name())).count() : null;
			return QueueView.of(depth, topology.serviceQueue(depth.name()).service(), stats, consumers);
		}).toList();
		return new QueuesView(true, queues, workerState());
	}

	/**
	 * Reads the monitor queue, which workers do not consume and so the queue list leaves
	 * out, for its error queue.
	 * @param listed the queues read
	 * @return the monitor queue, or {@code null} without a broker or a monitor queue, or
	 * when it is among those read
	 */
	public @Nullable QueueView monitorQueue(QueuesView listed) {
		if (this.inspector == null) {
			return null;
		}
		Topology topology = this.inspector.topology();
		String monitor = topology.monitorQueueName();
		if (monitor == null || listed.queues().stream().anyMatch((queue) -> queue.name().equals(monitor))) {
			return null;
		}
		return QueueView.of(this.inspector.inspect(monitor), topology.serviceQueue(monitor).service(), null, null);
	}

	/**
	 * Pauses this application's worker: it stops taking messages.
	 * @return the worker's state after
	 * @throws IllegalStateException if this application runs no worker
	 */
	public WorkerState pause() {
		worker().stop();
		return workerState();
	}

	/**
	 * Resumes this application's worker.
	 * @return the worker's state after
	 * @throws IllegalStateException if this application runs no worker
	 */
	public WorkerState resume() {
		worker().start();
		return workerState();
	}

	private TaskWorker worker() {
		if (this.worker == null) {
			throw new IllegalStateException("This application runs no Celeriac worker (celeriac.worker.enabled)");
		}
		return this.worker;
	}

	private WorkerState workerState() {
		return (this.worker != null) ? new WorkerState(true, this.worker.isRunning()) : new WorkerState(false, false);
	}

	/**
	 * The queues.
	 *
	 * @param available whether the application has a broker
	 * @param queues the queues this application's worker consumes (all the topology's
	 * service queues when it runs none)
	 * @param worker this application's worker
	 */
	public record QueuesView(boolean available, List<QueueView> queues, WorkerState worker) {

	}

	/**
	 * One queue.
	 *
	 * @param name its full name
	 * @param service its service (the routing key)
	 * @param exists whether it exists
	 * @param messages the ready messages, {@code -1} if it does not exist
	 * @param inFlight the messages delivered to this process and not yet settled
	 * @param delayed the messages waiting for their time before they go back to it
	 * @param consumers how many live workers consume it, or {@code null} without a worker
	 * registry
	 * @param errorQueue its error queue's full name
	 * @param errorMessages the messages in the error queue, {@code -1} if it does not
	 * exist
	 */
	public record QueueView(String name, String service, boolean exists, long messages, @Nullable Long inFlight,
			@Nullable Long delayed, @Nullable Integer consumers, String errorQueue, long errorMessages) {

		static QueueView of(QueueDepth depth, String service, @Nullable QueueStats stats, @Nullable Integer consumers) {
			return new QueueView(depth.name(), service, depth.exists(), depth.depth(),
					(stats != null) ? stats.inFlight() : null, (stats != null) ? stats.delayed() : null, consumers,
					depth.errorQueue(), depth.errorQueueDepth());
		}

	}

	/**
	 * This application's worker.
	 *
	 * @param present whether this application runs a worker
	 * @param running whether it takes messages (not paused)
	 */
	public record WorkerState(boolean present, boolean running) {

	}

}

package io.celeriac.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.execution.RefusalPolicy;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Consumes the service queues and runs each task: decodes the message, finds the task
 * method by name, binds the arguments, invokes the method, records the outcome, and only
 * then acknowledges the message. A message it cannot run goes to the error queue with the
 * reason, and the worker goes on with the next. A worker that dies mid-task has
 * acknowledged nothing, so the broker gives the message to another.
 * <p>
 * A slot whose task returned takes its next message at once: the outcome waits for its
 * write (in a batch, with the outcomes of the other slots) and the delivery is
 * acknowledged once the outcome is recorded. At most
 * {@code celeriac.worker.pending-outcomes} outcomes wait; when they do, or while the
 * result store does not answer, the worker takes no new message, and it tries the writes
 * again until the store answers, so that a finished task never runs again because its
 * outcome could not be written.
 * <p>
 * A task that throws an exception its {@link Deferrable#retryOn()} names is recorded as
 * RETRY, then published again as Celery's {@code self.retry} does (same id,
 * {@code retries} + 1, an {@code eta} after the backoff, {@code parent_id} its own id),
 * once per attempt, and the delivery acknowledged. A task whose {@code eta} is in the
 * future goes to the {@link DelayedTaskStore}; one whose {@code expires} has passed is
 * recorded as REVOKED and not run. A task over its rate limit ({@link TaskRateLimits})
 * waits in the same store for its turn, acknowledged, so that no worker holds it.
 * <p>
 * The worker runs a task through its bean's proxy, so the bean's advice applies
 * ({@code @Transactional}, {@code @Locked}, {@code @Limited} and the like). A task that a
 * lock or limiter refused is published again after the {@link RefusalPolicy}'s countdown,
 * a bounded number of times. Assemble one with {@link #builder}.
 *
 * @author Celeriac team
 */
public class TaskWorker implements SmartLifecycle {

	/**
	 * MDC key of the running task's id.
	 */
	public static final String TASK_ID_MDC_KEY = "taskId";

	/**
	 * MDC key of the running task's name.
	 */
	public static final String TASK_NAME_MDC_KEY = "taskName";

	/**
	 * Header carried by retried messages: when the first attempt failed, ISO 8601.
	 */
	public static final String FIRST_FAILURE_HEADER = "x-celeriac-first-failure";

	/**
	 * Header carried by a task sent again because a lock or limiter refused it: how many
	 * times it has been refused.
	 */
	public static final String REFUSALS_HEADER = "x-celeriac-refusals";

	private static final Logger logger = LoggerFactory.getLogger(TaskWorker.class);

	private final Broker broker;

	private final TaskRegistry registry;

	private final Topology topology;

	private final TaskRouter router;

	private final WorkerSettings settings;

	private final TaskExecution execution;

	private final OutcomePipeline outcomes;

	private final @Nullable DelayedTaskScheduler ownScheduler;

	/**
	 * The subscription of each queue consumed now, in the order the queues were taken up;
	 * the configured queues share one.
	 */
	private final Map<String, Subscription> consumed = new LinkedHashMap<>();

	private boolean running;

	private volatile boolean stopping;

	TaskWorker(Broker broker, TaskRegistry registry, Topology topology, TaskRouter router, WorkerSettings settings,
			TaskExecution execution, OutcomePipeline outcomes, @Nullable DelayedTaskScheduler ownScheduler) {
		this.broker = broker;
		this.registry = registry;
		this.topology = topology;
		this.router = router;
		this.settings = settings;
		this.execution = execution;
		this.outcomes = outcomes;
		this.ownScheduler = ownScheduler;
	}

	/**
	 * Starts assembling a worker from what it cannot do without.
	 * @param broker the broker to consume from
	 * @param registry the tasks it can run
	 * @param protocol the message codec
	 * @param errorQueue where messages that cannot be run go
	 * @param topology the topology, which names the queues
	 * @param router gives each task its service, to find this application's services
	 * @param settings how it runs
	 * @return a builder for the rest
	 */
	public static TaskWorkerBuilder builder(Broker broker, TaskRegistry registry, CeleryProtocol protocol,
			ErrorQueue errorQueue, Topology topology, TaskRouter router, WorkerSettings settings) {
		return new TaskWorkerBuilder(broker, registry, protocol, errorQueue, topology, router, settings);
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.stopping = false;
		this.execution.stopping(false);
		this.outcomes.open();
		ConsumerSettings consumers = new ConsumerSettings(this.settings.concurrency(), this.settings.prefetch());
		List<String> queues = queues();
		for (String queue : queues) {
			String errorQueue = this.topology.errorQueueName(queue);
			for (String needed : List.of(queue, errorQueue)) {
				if (!this.broker.queueExists(needed)) {
					throw new IllegalStateException("Worker " + this.settings.name() + " cannot start: queue '" + needed
							+ "' does not exist. Let Celeriac declare the topology (celeriac.topology.declare=true) "
							+ "or declare it yourself; a worker never consumes a queue without its error queue, "
							+ "where the messages it cannot run go.");
				}
			}
		}
		if (this.ownScheduler != null) {
			this.ownScheduler.start();
		}
		// in the configured order: a broker that serves queues by priority (Redis) takes
		// from the first one with a message
		if (!queues.isEmpty()) {
			Subscription subscription = this.broker.consume(queues, consumers, this::handle);
			queues.forEach((queue) -> this.consumed.put(queue, subscription));
		}
		this.running = true;
		logger.info("Worker {} consumes {} with concurrency {}; tasks: {}", this.settings.name(), queues,
				this.settings.concurrency(), this.registry.names());
	}

	/**
	 * Returns the full names of the queues this worker consumes.
	 * @return the queue names
	 */
	public List<String> queues() {
		Collection<String> services = this.settings.services().isEmpty() ? this.registry.services(this.router)
				: this.settings.services();
		return services.stream().map(this.topology::queueName).toList();
	}

	/**
	 * Stops taking messages, lets the tasks running finish and their outcomes be recorded
	 * and acknowledged up to the shutdown timeout, then interrupts the rest and hands
	 * their messages back to the broker, which gives them to another worker. Every queue
	 * is stopped at once, so the whole stop takes the timeout at most.
	 */
	@Override
	public synchronized void stop() {
		this.stopping = true;
		this.execution.stopping(true);
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		boolean consuming = !this.consumed.isEmpty();
		if (consuming) {
			logger.info("Worker {} stops taking messages and lets its running tasks finish for up to {} ms",
					this.settings.name(), this.settings.shutdownTimeout().toMillis());
			// the consumers take nothing new but stay open until the outcomes are
			// acknowledged on them; what the worker then gives back is not handed to it
			// again (on RabbitMQ a rejected message would come straight back, each time
			// counting towards a quorum queue's delivery limit)
			distinct(this.consumed.values()).forEach(Subscription::stopTaking);
			this.outcomes.drain(deadline);
		}
		// a subscription shared by several queues is stopped once
		Subscription.stopTogether(distinct(this.consumed.values()), remaining(deadline),
				"celeriac-stop-" + this.settings.name());
		if (consuming) {
			logger.info("Worker {} stopped", this.settings.name());
		}
		this.consumed.clear();
		this.running = false;
		if (this.ownScheduler != null) {
			this.ownScheduler.stop();
		}
	}

	/**
	 * Returns the subscriptions once each: one subscription may consume several queues.
	 */
	private static Set<Subscription> distinct(Collection<Subscription> subscriptions) {
		Set<Subscription> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
		distinct.addAll(subscriptions);
		return distinct;
	}

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	/**
	 * Returns the full names of the queues this worker consumes now: its configured ones
	 * and those added by {@link #addQueue(String)}, less those cancelled.
	 * @return the queue names
	 */
	public synchronized List<String> consumedQueues() {
		return List.copyOf(this.consumed.keySet());
	}

	/**
	 * Starts consuming one more queue, as Celery's {@code add_consumer} control command
	 * does. The queue and its error queue must exist.
	 * @param queue the queue's full name
	 * @return {@code true} if the worker now consumes it, {@code false} if it already did
	 * @throws IllegalStateException if the worker is not running, or the queue or its
	 * error queue does not exist
	 */
	public synchronized boolean addQueue(String queue) {
		if (!this.running || this.stopping) {
			throw new IllegalStateException("Worker " + this.settings.name() + " is not running");
		}
		if (this.consumed.containsKey(queue)) {
			return false;
		}
		for (String needed : List.of(queue, this.topology.errorQueueName(queue))) {
			if (!this.broker.queueExists(needed)) {
				throw new IllegalStateException("queue '" + needed + "' does not exist; a worker consumes only a queue "
						+ "that exists with its error queue (declare both, e.g. by adding the service to "
						+ "celeriac.topology.queues)");
			}
		}
		ConsumerSettings consumers = new ConsumerSettings(this.settings.concurrency(), this.settings.prefetch());
		// admitted again if it was consumed and cancelled before
		this.outcomes.reopen(List.of(queue));
		this.consumed.put(queue, this.broker.consume(queue, consumers, this::handle));
		logger.info("Worker {} now consumes {} too", this.settings.name(), queue);
		return true;
	}

	/**
	 * Stops consuming a queue, as Celery's {@code cancel_consumer} control command does:
	 * the worker takes no new message from it, lets the tasks running from it finish and
	 * their outcomes be recorded and acknowledged (up to the shutdown timeout, after
	 * which what is left goes back to the queue, as when the worker stops), gives back
	 * the messages it holds but has not started, and only then closes the queue's
	 * consumer. The configured queues share one consumer, in priority order where the
	 * broker supports it: cancelling one of them drains the others too (their running
	 * tasks finish, or at the shutdown timeout go back to their queue) before the shared
	 * consumer is replaced by one without it, and the worker's other queue commands wait
	 * meanwhile.
	 * @param queue the queue's full name
	 * @return {@code true} if the worker consumed it
	 */
	public synchronized boolean cancelQueue(String queue) {
		Subscription subscription = this.consumed.get(queue);
		if (subscription == null) {
			return false;
		}
		List<String> sharing = this.consumed.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() == subscription)
			.map(Map.Entry::getKey)
			.toList();
		List<String> rest = sharing.stream().filter((each) -> !each.equals(queue)).toList();
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		// the consumer stays open until the outcomes are acknowledged on it; the
		// deliveries not started are given back once it takes nothing new, else it
		// would get them again at once
		this.outcomes.drain(sharing, deadline);
		subscription.stopTaking();
		this.outcomes.release(sharing);
		subscription.stop(remaining(deadline));
		this.consumed.remove(queue);
		if (!rest.isEmpty()) {
			this.outcomes.reopen(rest);
			try {
				Subscription replacement = this.broker.consume(rest,
						new ConsumerSettings(this.settings.concurrency(), this.settings.prefetch()), this::handle);
				rest.forEach((each) -> this.consumed.put(each, replacement));
			}
			catch (RuntimeException ex) {
				rest.forEach(this.consumed::remove);
				throw new IllegalStateException("Worker " + this.settings.name() + " no longer consumes " + queue
						+ ", but could not consume " + rest + " again without it: " + ex.getMessage(), ex);
			}
		}
		logger.info("Worker {} no longer consumes {}", this.settings.name(), queue);
		return true;
	}

	/**
	 * Returns the settings this worker runs with.
	 * @return the settings
	 */
	public WorkerSettings settings() {
		return this.settings;
	}

	@Override
	public int getPhase() {
		// after the topology is declared, and stopped before anything the tasks might use
		return TopologyDeclarer.PHASE + 1024;
	}

	/**
	 * Handles one delivery: runs it, or moves it to the error queue, and acknowledges it
	 * once its outcome is recorded. Waits first while the worker may take no message
	 * (outcomes wait for a result store that does not answer, or too many wait).
	 * @param delivery the delivery
	 */
	public void handle(Delivery delivery) {
		this.execution.handle(delivery);
	}

	/**
	 * Returns the outcomes waiting to be recorded, and whether the worker is paused
	 * because the result store does not answer.
	 * @return the status now
	 */
	public OutcomeStatus outcomes() {
		return this.outcomes.status();
	}

}

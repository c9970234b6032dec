package io.celeriac.worker;

import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.lang.reflect.Method;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.delay.DelayedTask;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.RefusalPolicy;
import io.celeriac.task.RetryPolicy;
import io.celeriac.execution.TaskInterceptor;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.InvalidTaskMessageException;
import io.celeriac.protocol.MessageLimits;
import io.celeriac.protocol.Origin;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.Deferrable;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.workflow.SignaturePublisher;
import io.celeriac.workflow.WorkflowContinuation;
import io.celeriac.workflow.WorkflowSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Consumes the service queues and runs each task: decodes the message, finds the task
 * method by name, binds the arguments, invokes the method, records the outcome, and only
 * then acknowledges the message. A message it cannot run goes to the error queue with the
 * reason, and the worker goes on with the next. A worker that dies mid-task has
 * acknowledged nothing, so the broker gives the message to another.
 * <p>
 * A task that throws an exception its {@link Deferrable#retryOn()} names is recorded as
 * RETRY, then published again as Celery's {@code self.retry} does (same id,
 * {@code retries} + 1, an {@code eta} after the backoff, {@code parent_id} its own id),
 * and the delivery acknowledged. A task whose {@code eta} is in the future goes to the
 * {@link DelayedTaskStore}; one whose {@code expires} has passed is recorded as REVOKED
 * and not run. A task over its rate limit ({@link TaskRateLimits}) waits in the same
 * store for its turn, acknowledged, so that no worker holds it.
 * <p>
 * The worker runs a task through its bean's proxy, so the bean's advice applies
 * ({@code @Transactional}, {@code @Locked}, {@code @Limited} and the like). A task that a
 * lock or limiter refused is published again after the {@link RefusalPolicy}'s countdown,
 * a bounded number of times.
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

	private final CeleryProtocol protocol;

	private final ArgumentBinder binder;

	private final @Nullable ResultStore results;

	private final ErrorQueue errorQueue;

	private final Topology topology;

	private final TaskRouter router;

	private final WorkerSettings settings;

	private final List<Subscription> subscriptions = new ArrayList<>();

	private final List<String> consumed = new ArrayList<>();

	private final Map<String, Subscription> added = new LinkedHashMap<>();

	private boolean running;

	private final FailureBackoff failures = new FailureBackoff(Duration.ofMillis(100), Duration.ofSeconds(30));

	private final DelayedTaskStore delayedTasks;

	private final @Nullable DelayedTaskScheduler ownScheduler;

	private final List<TaskLifecycleListener> listeners;

	private final List<TaskInterceptor> interceptors;

	private final List<MetadataContributor> contributors;

	private final Map<Method, RetryPolicy> policies = new ConcurrentHashMap<>();

	private final String origin = Origin.current();

	private volatile boolean stopping;

	private final WorkflowContinuation workflows;

	private final TaskRateLimits rateLimits;

	private final TaskRevocation revocation;

	/**
	 * Creates a worker.
	 * @param broker the broker to consume from
	 * @param registry the tasks it can run
	 * @param protocol the message codec
	 * @param results where outcomes are recorded, or {@code null} to record none
	 * @param errorQueue where messages that cannot be run go
	 * @param topology the topology, which names the queues
	 * @param router gives each task its service, to find this application's services
	 * @param settings how it runs
	 */
	public TaskWorker(Broker broker, TaskRegistry registry, CeleryProtocol protocol, @Nullable ResultStore results,
			ErrorQueue errorQueue, Topology topology, TaskRouter router, WorkerSettings settings) {
		this(broker, registry, protocol, results, errorQueue, topology, router, settings, null,
				WorkerExtensions.none());
	}

	/**
	 * Creates a worker that keeps delayed tasks in the given store.
	 * @param broker the broker to consume from
	 * @param registry the tasks it can run
	 * @param protocol the message codec
	 * @param results where outcomes are recorded, or {@code null} to record none
	 * @param errorQueue where messages that cannot be run go
	 * @param topology the topology, which names the queues
	 * @param router gives each task its service, to find this application's services
	 * @param settings how it runs
	 * @param delayedTasks where tasks whose {@code eta} is in the future wait (a
	 * {@link DelayedTaskScheduler} on the same store publishes them when due), or
	 * {@code null} for an in-memory store with a scheduler of this worker's own
	 * @param extensions listeners, interceptors and metadata contributors
	 */
	public TaskWorker(Broker broker, TaskRegistry registry, CeleryProtocol protocol, @Nullable ResultStore results,
			ErrorQueue errorQueue, Topology topology, TaskRouter router, WorkerSettings settings,
			@Nullable DelayedTaskStore delayedTasks, WorkerExtensions extensions) {
		this(broker, registry, protocol, results, errorQueue, topology, router, settings, delayedTasks, extensions,
				null);
	}

	/**
	 * Creates a worker that continues workflows with the given continuation.
	 * @param broker the broker to consume from
	 * @param registry the tasks it can run
	 * @param protocol the message codec
	 * @param results where outcomes are recorded, or {@code null} to record none
	 * @param errorQueue where messages that cannot be run go
	 * @param topology the topology, which names the queues
	 * @param router gives each task its service, to find this application's services
	 * @param settings how it runs
	 * @param delayedTasks where tasks whose {@code eta} is in the future wait, or
	 * {@code null} for an in-memory store with a scheduler of this worker's own
	 * @param extensions listeners, interceptors and metadata contributors
	 * @param workflows continues what each message's {@code embed} asks (callbacks,
	 * chains, chords), or {@code null} for one that joins chords with
	 * {@code celery.chord_unlock}
	 */
	public TaskWorker(Broker broker, TaskRegistry registry, CeleryProtocol protocol, @Nullable ResultStore results,
			ErrorQueue errorQueue, Topology topology, TaskRouter router, WorkerSettings settings,
			@Nullable DelayedTaskStore delayedTasks, WorkerExtensions extensions,
			@Nullable WorkflowContinuation workflows) {
		this(broker, registry, protocol, results, errorQueue, topology, router, settings, delayedTasks, extensions,
				workflows, null, TaskRevocation.NONE);
	}

	/**
	 * Creates a worker that keeps the tasks' rate limits with the given rate limits and
	 * refuses the tasks the given revocation names.
	 * @param broker the broker to consume from
	 * @param registry the tasks it can run
	 * @param protocol the message codec
	 * @param results where outcomes are recorded, or {@code null} to record none
	 * @param errorQueue where messages that cannot be run go
	 * @param topology the topology, which names the queues
	 * @param router gives each task its service, to find this application's services
	 * @param settings how it runs
	 * @param delayedTasks where tasks whose {@code eta} is in the future, or whose rate
	 * limit makes them wait, wait; or {@code null} for an in-memory store with a
	 * scheduler of this worker's own
	 * @param extensions listeners, interceptors and metadata contributors
	 * @param workflows continues what each message's {@code embed} asks, or {@code null}
	 * for one that joins chords with {@code celery.chord_unlock}
	 * @param rateLimits the tasks' rate limits, shared with the other workers of the
	 * fleet, or {@code null} for those of {@link Deferrable#rateLimit()} kept in this
	 * process only
	 * @param revocation tells which tasks were revoked (Celery's {@code revoke}): those
	 * are recorded REVOKED and not run
	 */
	public TaskWorker(Broker broker, TaskRegistry registry, CeleryProtocol protocol, @Nullable ResultStore results,
			ErrorQueue errorQueue, Topology topology, TaskRouter router, WorkerSettings settings,
			@Nullable DelayedTaskStore delayedTasks, WorkerExtensions extensions,
			@Nullable WorkflowContinuation workflows, @Nullable TaskRateLimits rateLimits, TaskRevocation revocation) {
		this.rateLimits = (rateLimits != null) ? rateLimits : new TaskRateLimits(new InMemoryLimiters(), Map.of());
		this.revocation = revocation;
		this.workflows = (workflows != null) ? workflows
				: WorkflowContinuation.withChordUnlock(
						new SignaturePublisher(broker, topology, router, protocol, extensions.contributors()), results,
						WorkflowSettings.defaults(), settings.name(), settings.confirmTimeout().toMillis());
		if (delayedTasks != null) {
			this.delayedTasks = delayedTasks;
			this.ownScheduler = null;
		}
		else {
			this.delayedTasks = new InMemoryDelayedTaskStore();
			this.ownScheduler = new DelayedTaskScheduler(this.delayedTasks, broker, new DelayedTaskScheduler.Settings(
					Duration.ofMillis(50), 500, settings.confirmTimeout().plusSeconds(30), settings.confirmTimeout()));
		}
		this.listeners = extensions.listeners();
		this.interceptors = extensions.interceptors();
		this.contributors = extensions.contributors();
		this.broker = broker;
		this.registry = registry;
		this.protocol = protocol;
		this.binder = new ArgumentBinder(protocol.mapper());
		this.results = results;
		this.errorQueue = errorQueue;
		this.topology = topology;
		this.router = router;
		this.settings = settings;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.stopping = false;
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
			this.subscriptions.add(this.broker.consume(queues, consumers, this::handle));
		}
		this.consumed.addAll(queues);
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
	 * Stops taking messages, lets the tasks running finish up to the shutdown timeout,
	 * then interrupts the rest and hands their messages back to the broker, which gives
	 * them to another worker. Every queue is stopped at once, so the whole stop takes the
	 * timeout at most.
	 */
	@Override
	public synchronized void stop() {
		this.stopping = true;
		if (!this.subscriptions.isEmpty()) {
			logger.info("Worker {} stops taking messages and lets its running tasks finish for up to {} ms",
					this.settings.name(), this.settings.shutdownTimeout().toMillis());
		}
		List<Thread> stops = new ArrayList<>();
		List<Subscription> all = new ArrayList<>(this.subscriptions);
		all.addAll(this.added.values());
		for (Subscription subscription : all) {
			Thread stop = new Thread(() -> subscription.stop(this.settings.shutdownTimeout()),
					"celeriac-stop-" + this.settings.name());
			stop.start();
			stops.add(stop);
		}
		for (Thread stop : stops) {
			try {
				stop.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (!this.subscriptions.isEmpty()) {
			logger.info("Worker {} stopped", this.settings.name());
		}
		this.subscriptions.clear();
		this.added.clear();
		this.consumed.clear();
		this.running = false;
		if (this.ownScheduler != null) {
			this.ownScheduler.stop();
		}
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
		List<String> queues = new ArrayList<>(this.consumed);
		queues.addAll(this.added.keySet());
		return queues;
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
		if (this.consumed.contains(queue) || this.added.containsKey(queue)) {
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
		this.added.put(queue, this.broker.consume(queue, consumers, this::handle));
		logger.info("Worker {} now consumes {} too", this.settings.name(), queue);
		return true;
	}

	/**
	 * Stops consuming a queue, as Celery's {@code cancel_consumer} control command does:
	 * the tasks running from it finish (up to the shutdown timeout) and the messages not
	 * yet started go back to it.
	 * @param queue the queue's full name
	 * @return {@code true} if the worker consumed it
	 */
	public synchronized boolean cancelQueue(String queue) {
		Subscription subscription = this.added.remove(queue);
		if (subscription != null) {
			subscription.stop(this.settings.shutdownTimeout());
		}
		else if (this.consumed.remove(queue)) {
			// the configured queues are consumed together (in priority order where the
			// broker supports it), so the rest are consumed again without this one
			this.subscriptions.forEach((each) -> each.stop(this.settings.shutdownTimeout()));
			this.subscriptions.clear();
			if (!this.consumed.isEmpty()) {
				this.subscriptions.add(this.broker.consume(List.copyOf(this.consumed),
						new ConsumerSettings(this.settings.concurrency(), this.settings.prefetch()), this::handle));
			}
		}
		else {
			return false;
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
	 * Handles one delivery: runs it, or moves it to the error queue, then acknowledges
	 * it.
	 * @param delivery the delivery
	 */
	public void handle(Delivery delivery) {
		int size = delivery.message().body().length;
		if (size > this.settings.maxMessageSize()) {
			reject(delivery, null, ErrorKind.MESSAGE_TOO_LARGE,
					"Message body of " + size + " bytes is over the limit of " + this.settings.maxMessageSize()
							+ " bytes (celeriac.worker.max-message-size)",
					null);
			return;
		}
		TaskMessage message;
		try {
			message = this.protocol.decode(delivery.message());
			// before anything is recorded: a message that cannot be would fail every time
			MessageLimits.RECORDED_COLUMNS.check(message, delivery.routingKey());
		}
		catch (InvalidTaskMessageException ex) {
			reject(delivery, null, ex.getKind(), ex.getMessage(), ex);
			return;
		}
		MDC.put(TASK_ID_MDC_KEY, message.id());
		MDC.put(TASK_NAME_MDC_KEY, message.task());
		List<MetadataContributor.Scope> scopes = consumeMetadata(message);
		try (CurrentTask.Scope current = CurrentTask.enter(message.id(), message.headers().rootId())) {
			runRecovering(delivery, message);
		}
		finally {
			for (int i = scopes.size() - 1; i >= 0; i--) {
				scopes.get(i).close();
			}
			MDC.remove(TASK_ID_MDC_KEY);
			MDC.remove(TASK_NAME_MDC_KEY);
		}
	}

	/**
	 * Runs the task; when the outcome cannot be recorded or the message cannot be moved
	 * (the result store or the broker is failing), gives the message back after a pause
	 * that grows while the failures go on, so that a broken store is not hammered in a
	 * tight loop.
	 */
	private void runRecovering(Delivery delivery, TaskMessage message) {
		if (delivery.redelivered()) {
			logger.info("Task {}[{}] was delivered before to a worker that did not finish it; running it again",
					message.task(), message.id());
		}
		try {
			run(delivery, message);
			this.failures.reset();
		}
		catch (RuntimeException ex) {
			Duration pause = this.failures.next();
			logger.error("Task {}[{}] could not be completed ({}); it goes back to {} in {} ms", message.task(),
					message.id(), ex.getMessage(), delivery.queue(), pause.toMillis(), ex);
			pause(pause);
			delivery.reject(true);
			notify((listener) -> listener.onReject(message.id(), message, true));
		}
	}

	private static void pause(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run(Delivery delivery, TaskMessage message) {
		Instant now = Instant.now();
		Instant expires;
		Instant eta;
		try {
			expires = CeleryTime.parse(message.headers().expires());
			eta = CeleryTime.parse(message.headers().eta());
			this.workflows.check(message);
		}
		catch (InvalidTaskMessageException ex) {
			reject(delivery, message, ex.getKind(), ex.getMessage(), ex);
			return;
		}
		if (expires != null && !expires.isAfter(now)) {
			record(message, delivery, TaskState.REVOKED, null, TaskFailure.expired());
			delivery.ack();
			logger.info("Task {}[{}] expired at {} and was not run", message.task(), message.id(), expires);
			notify((listener) -> listener.onExpire(message));
			return;
		}
		if (this.revocation.isRevoked(message.id())) {
			// as Celery's worker: recorded REVOKED and acknowledged, never started
			record(message, delivery, TaskState.REVOKED, null, TaskFailure.revoked(false));
			delivery.ack();
			logger.info("Task {}[{}] was revoked and is not run", message.task(), message.id());
			notify((listener) -> listener.onRevoke(message, false));
			return;
		}
		if (eta != null && eta.isAfter(now)) {
			this.delayedTasks.schedule(new DelayedTask(this.topology.exchange(), delivery.routingKey(),
					delivery.message(), eta, delivery.queue()));
			delivery.ack();
			logger.debug("Task {}[{}] waits for its eta {}", message.task(), message.id(), eta);
			notify((listener) -> listener.onDelay(message));
			return;
		}
		if (overDeliveryLimit(delivery, message)) {
			return;
		}
		if (waitsForItsTurn(delivery, message)) {
			return;
		}
		notify((listener) -> listener.onPop(message));
		if (this.workflows.runs(message)) {
			this.workflows.run(message, delivery.routingKey());
			delivery.ack();
			return;
		}
		Optional<TaskMethod> found = this.registry.find(message.task());
		if (found.isEmpty()) {
			String reason = "No task named '" + message.task() + "' is registered in worker " + this.settings.name()
					+ "; it knows " + this.registry.names();
			// the id may be another task's (anyone who can publish chooses it): a
			// finished
			// task's outcome is kept
			recordFailureUnlessFinal(message, delivery,
					new TaskFailure("NotRegistered", "celery.exceptions", message.task(), ""));
			reject(delivery, message, ErrorKind.UNKNOWN_TASK, reason, null);
			return;
		}
		TaskMethod task = found.get();
		Object[] arguments;
		try {
			arguments = this.binder.bind(task, message.body().args(), message.body().kwargs());
		}
		catch (ArgumentMismatchException ex) {
			record(message, delivery, TaskState.FAILURE, null,
					new TaskFailure("TypeError", "builtins", ex.getMessage(), ErrorQueue.stackTrace(ex)));
			reject(delivery, message, ErrorKind.ARGUMENTS_MISMATCH, ex.getMessage(), ex);
			return;
		}
		if (this.settings.trackStarted()) {
			record(message, delivery, TaskState.STARTED, null, null);
		}
		Object value;
		try {
			value = intercepted(message, task, arguments, 0);
		}
		catch (Throwable ex) {
			if (this.revocation.terminated(message.id())) {
				record(message, delivery, TaskState.REVOKED, null, TaskFailure.revoked(true));
				delivery.ack();
				logger.info("Task {}[{}] was terminated by a revoke command ({})", message.task(), message.id(),
						ex.toString());
				notify((listener) -> listener.onRevoke(message, true));
				return;
			}
			if (this.stopping && interrupted(ex)) {
				// the shutdown timeout passed: the subscription handed the message back
				logger.info("Task {}[{}] was interrupted by the worker's shutdown; it goes back to {}", message.task(),
						message.id(), delivery.queue());
				delivery.reject(true);
				notify((listener) -> listener.onReject(message.id(), message, true));
				return;
			}
			failed(delivery, message, task, ex);
			return;
		}
		JsonNode result = this.protocol.mapper().valueToTree(value);
		record(message, delivery, TaskState.SUCCESS, result, null);
		this.workflows.succeeded(message, delivery.routingKey(), result);
		delivery.ack();
		logger.debug("Task {}[{}] succeeded", message.task(), message.id());
		notify((listener) -> listener.onComplete(message));
	}

	/**
	 * Parks a task over its rate limit in the delayed task store until the turn the rate
	 * limiter reserved for it, unchanged but for the turn header (same id, not counted as
	 * a retry), and only then acknowledges it: a worker that dies in between loses
	 * nothing, the broker delivers the task again.
	 */
	private boolean waitsForItsTurn(Delivery delivery, TaskMessage message) {
		Duration wait = this.rateLimits.reserve(message,
				this.registry.find(message.task()).map(TaskMethod::method).orElse(null));
		if (wait.isZero()) {
			return false;
		}
		Instant turn = Instant.now().plus(wait);
		this.delayedTasks.schedule(new DelayedTask(this.topology.exchange(), delivery.routingKey(),
				this.rateLimits.withTurn(delivery.message(), message, turn), turn, delivery.queue()));
		delivery.ack();
		logger.debug("Task {}[{}] is over its rate limit; it waits {} ms for its turn", message.task(), message.id(),
				wait.toMillis());
		notify((listener) -> listener.onDelay(message));
		return true;
	}

	private void failed(Delivery delivery, TaskMessage message, TaskMethod task, Throwable ex) {
		RetryPolicy policy = this.policies.computeIfAbsent(task.method(), TaskWorker::policyOf);
		if (!policy.isRetryable(ex) && RefusalPolicy.isRefusal(ex)) {
			refused(delivery, message, ex);
			return;
		}
		int attempt = message.headers().retries() + 1;
		Instant now = Instant.now();
		Object firstFailure = message.headers().extra().get(FIRST_FAILURE_HEADER);
		String first = (firstFailure != null) ? firstFailure.toString() : now.toString();
		TaskFailure failure = this.errorQueue.limits().apply(TaskFailure.of(ex, ErrorQueue.stackTrace(ex)));
		if (policy.shouldRetry(ex, attempt)) {
			Duration delay = policy.delay(attempt);
			Map<String, @Nullable Object> headers = new LinkedHashMap<>();
			headers.put(FIRST_FAILURE_HEADER, first);
			// RETRY is recorded before the next attempt exists, so that attempt's outcome
			// cannot be overwritten by it, and a failed record publishes no retry at all
			record(message, delivery, TaskState.RETRY, null, failure);
			republish(delivery, message, now.plus(delay), message.headers().retries() + 1, headers);
			delivery.ack();
			logger.info("Task {}[{}] raised {} on attempt {} of {}; retrying in {} ms", message.task(), message.id(),
					ex.getClass().getName(), attempt, policy.maxAttempts(), delay.toMillis());
			notify((listener) -> listener.onRetry(message, ex, delay));
			return;
		}
		logger.warn("Task {}[{}] raised {} on attempt {}: {}", message.task(), message.id(), ex.getClass().getName(),
				attempt, this.errorQueue.limits().message(ex.getMessage()));
		record(message, delivery, TaskState.FAILURE, null, failure);
		this.workflows.failed(message, delivery.routingKey(), failure);
		boolean exhausted = policy.isRetryable(ex);
		Map<String, Object> attempts = new LinkedHashMap<>();
		attempts.put(ErrorQueue.ATTEMPTS_HEADER, attempt);
		attempts.put(ErrorQueue.FIRST_FAILURE_HEADER, first);
		attempts.put(ErrorQueue.LAST_FAILURE_HEADER, now.toString());
		quarantine(delivery, message, exhausted ? ErrorKind.RETRIES_EXHAUSTED : ErrorKind.TASK_FAILED,
				"Task " + message.task() + " raised " + ex.getClass().getName() + ": " + ex.getMessage()
						+ (exhausted ? " on its last attempt (" + attempt + " of " + policy.maxAttempts() + ")" : ""),
				ex, attempts);
		notify((listener) -> listener.onError(message, ex));
	}

	/**
	 * A lock or limiter refused the task, which therefore did not fail: it is published
	 * again to run after the refusal countdown, as long as the refusal policy allows, and
	 * fails to the error queue after that.
	 */
	private void refused(Delivery delivery, TaskMessage message, Throwable ex) {
		RefusalPolicy policy = this.settings.refusals();
		int refusals = refusals(message) + 1;
		TaskFailure failure = TaskFailure.of(ex, ErrorQueue.stackTrace(ex));
		if (policy.shouldRetry(refusals)) {
			Duration countdown = policy.countdown();
			// a refusal is not an attempt: Celery's retries count stays as it was
			record(message, delivery, TaskState.RETRY, null, failure);
			republish(delivery, message, Instant.now().plus(countdown), message.headers().retries(),
					Map.of(REFUSALS_HEADER, refusals));
			delivery.ack();
			logger.info("Task {}[{}] was refused ({}: {}), refusal {} of at most {}; it runs again in {} ms",
					message.task(), message.id(), ex.getClass().getSimpleName(), ex.getMessage(), refusals,
					policy.maxRetries(), countdown.toMillis());
			notify((listener) -> listener.onRetry(message, ex, countdown));
			return;
		}
		String reason = "Task " + message.task() + " was refused by its lock or limiter " + refusals
				+ " times, the last time with " + ex.getClass().getName() + ": " + ex.getMessage()
				+ "; celeriac.worker.refusal.max-retries (" + policy.maxRetries()
				+ ") bounds how often it is sent again, celeriac.worker.refusal.countdown how long it waits";
		logger.warn("{}", reason);
		record(message, delivery, TaskState.FAILURE, null, failure);
		this.workflows.failed(message, delivery.routingKey(), failure);
		quarantine(delivery, message, ErrorKind.RETRIES_EXHAUSTED, reason, ex,
				Map.<String, Object>of(REFUSALS_HEADER, refusals));
		notify((listener) -> listener.onError(message, ex));
	}

	private static int refusals(TaskMessage message) {
		Object value = message.headers().extra().get(REFUSALS_HEADER);
		if (value instanceof Number number) {
			return number.intValue();
		}
		try {
			return (value != null) ? Integer.parseInt(value.toString()) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static boolean interrupted(Throwable failure) {
		if (Thread.currentThread().isInterrupted()) {
			return true;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InterruptedException) {
				return true;
			}
		}
		return false;
	}

	private static RetryPolicy policyOf(Method method) {
		Deferrable deferrable = AnnotatedElementUtils.findMergedAnnotation(method, Deferrable.class);
		return (deferrable != null) ? RetryPolicy.of(deferrable) : RetryPolicy.none();
	}

	/**
	 * Publishes the message again as Celery 5.2.6's {@code self.retry} does, and waits
	 * for the broker's confirmation.
	 */
	private void republish(Delivery delivery, TaskMessage message, Instant eta, int retries,
			Map<String, ? extends @Nullable Object> moreHeaders) {
		TaskHeaders old = message.headers();
		TaskHeaders headers = old.again(this.origin).eta(eta).retries(retries).extra(moreHeaders).build();
		Instant expires = CeleryTime.parse(old.expires());
		TaskMessage next = new TaskMessage(headers, message.body(), message.replyTo(), message.priority(),
				CeleryTime.expiration(expires, Instant.now()));
		this.broker.publishConfirmed(this.topology.exchange(), delivery.routingKey(), this.protocol.encode(next),
				this.settings.confirmTimeout());
	}

	private List<MetadataContributor.Scope> consumeMetadata(TaskMessage message) {
		List<MetadataContributor.Scope> scopes = new ArrayList<>(this.contributors.size());
		for (MetadataContributor contributor : this.contributors) {
			Object value = message.headers().extra().get(MetadataContributor.HEADER_PREFIX + contributor.namespace());
			try {
				scopes.add(contributor.consume((value != null) ? value.toString() : null));
			}
			catch (RuntimeException ex) {
				logger.warn("Metadata contributor {} threw {}; the task goes on", contributor.namespace(),
						ex.toString(), ex);
			}
		}
		return scopes;
	}

	private @Nullable Object intercepted(TaskMessage message, TaskMethod task, Object[] arguments, int index)
			throws Throwable {
		if (index == this.interceptors.size()) {
			return invoke(task, arguments);
		}
		return this.interceptors.get(index).intercept(message, () -> intercepted(message, task, arguments, index + 1));
	}

	private void notify(Consumer<TaskLifecycleListener> event) {
		for (TaskLifecycleListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Task lifecycle listener {} threw {}; the task goes on", listener, ex.toString(), ex);
			}
		}
	}

	private static @Nullable Object invoke(TaskMethod task, Object[] arguments) throws Throwable {
		// through the bean's proxy, so that its transactions, locks and other advice
		// apply
		Object returned = task.invoke(arguments);
		// what the caller gets is a handle or future; what the worker records is its
		// value
		try {
			if (returned instanceof TaskHandle<?> handle) {
				return handle.toFuture().join();
			}
			if (returned instanceof CompletionStage<?> stage) {
				return stage.toCompletableFuture().join();
			}
		}
		catch (CompletionException ex) {
			throw (ex.getCause() != null) ? ex.getCause() : ex;
		}
		return returned;
	}

	private void record(TaskMessage message, Delivery delivery, TaskState state, @Nullable JsonNode value,
			@Nullable TaskFailure failure) {
		if (this.results == null || message.headers().ignoreResult()) {
			return;
		}
		this.results.save(result(message, delivery, state, value, failure));
	}

	private TaskResult result(TaskMessage message, Delivery delivery, TaskState state, @Nullable JsonNode value,
			@Nullable TaskFailure failure) {
		// every row's failure is cut to the configured sizes here, whichever path
		// recorded it
		return new TaskResult(message.id(), state, value,
				(failure != null) ? this.errorQueue.limits().apply(failure) : null, message.task(),
				message.body().args(), message.body().kwargs(), this.settings.name(), message.headers().retries(),
				delivery.routingKey(), Instant.now());
	}

	private void recordFailureUnlessFinal(TaskMessage message, Delivery delivery, TaskFailure failure) {
		if (this.results == null || message.headers().ignoreResult()) {
			return;
		}
		if (!this.results.saveUnlessFinal(result(message, delivery, TaskState.FAILURE, null, failure))) {
			logger.warn("Task {}[{}] is not registered; the final state recorded for id {} was kept", message.task(),
					message.id(), message.id());
		}
	}

	/**
	 * Moves a message to the error queue, instead of running it, when the broker has
	 * delivered it more often than the settings allow: every earlier delivery went back
	 * to the queue unsettled, most likely because the task killed its worker (an out of
	 * memory error, a crash in native code), and running it once more would kill this
	 * one.
	 */
	private boolean overDeliveryLimit(Delivery delivery, TaskMessage message) {
		int limit = this.settings.maxDeliveries();
		if (limit <= 0) {
			return false;
		}
		OptionalInt count = delivery.deliveryCount();
		if (count.isEmpty() || count.getAsInt() <= limit) {
			return false;
		}
		String reason = "Delivered " + (count.getAsInt() - 1) + " times without completing (the limit is " + limit
				+ "); a worker probably died running it, or the task kept being handed back (e.g. while the result store was down)";
		// recorded as Celery records a task whose worker process died
		record(message, delivery, TaskState.FAILURE, null,
				new TaskFailure("WorkerLostError", "billiard.exceptions", reason, ""));
		reject(delivery, message, ErrorKind.DELIVERY_LIMIT, reason, null);
		return true;
	}

	/**
	 * Moves a message the worker does not run to the error queue (or, if that fails, back
	 * to its queue), and tells the listeners it was rejected, under the id of its
	 * {@code id} header when it could not be decoded.
	 */
	private void reject(Delivery delivery, @Nullable TaskMessage message, ErrorKind kind, String reason,
			@Nullable Throwable exception) {
		boolean requeued = !quarantine(delivery, message, kind, reason, exception, Map.of());
		String id = (message != null) ? message.id()
				: (delivery.message().headers().get("id") instanceof String header) ? header : null;
		if (id != null) {
			notify((listener) -> listener.onReject(id, message, requeued));
		}
	}

	/**
	 * Moves a message to the error queue and acknowledges it; if the error queue does not
	 * confirm the copy, gives the message back to its queue after a pause.
	 * @return {@code true} if it was moved, {@code false} if it was given back
	 */
	private boolean quarantine(Delivery delivery, @Nullable TaskMessage message, ErrorKind kind, String reason,
			@Nullable Throwable exception, Map<String, Object> more) {
		String what = (message != null) ? "Task " + message.task() + "[" + message.id() + "]"
				: "A message from " + delivery.queue();
		try {
			String errorQueue = this.errorQueue.send(delivery, kind, reason, exception, more);
			delivery.ack();
			logger.error("{} moved to {} ({}): {}", what, errorQueue, kind, this.errorQueue.limits().message(reason));
			return true;
		}
		catch (PublishFailedException ex) {
			Duration pause = this.failures.next();
			logger.error("{} could not be moved to the error queue ({}: {}); it goes back to {} in {} ms", what, kind,
					this.errorQueue.limits().message(reason), delivery.queue(), pause.toMillis(), ex);
			pause(pause);
			delivery.reject(true);
			return false;
		}
	}

}

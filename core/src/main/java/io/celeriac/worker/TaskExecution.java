package io.celeriac.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.celeriac.broker.Delivery;
import io.celeriac.delay.DelayedTask;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.TaskInterceptor;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.InvalidTaskMessageException;
import io.celeriac.protocol.MessageLimits;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.TaskFailure;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.Topology;
import io.celeriac.workflow.WorkflowContinuation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

/**
 * Runs one message: decodes it, decides whether it runs now (expired, revoked, not yet
 * due, over its rate limit or delivered too often: not), binds the arguments, and invokes
 * the task method through the interceptors and the bean's proxy. What became of it goes
 * to the {@link TaskOutcomes}, which records it and settles the delivery.
 *
 * @author Celeriac team
 */
final class TaskExecution {

	private static final Logger logger = LoggerFactory.getLogger(TaskWorker.class);

	private final TaskRegistry registry;

	private final CeleryProtocol protocol;

	private final ArgumentBinder binder;

	private final Topology topology;

	private final WorkerSettings settings;

	private final DelayedTaskStore delayedTasks;

	private final TaskRateLimits rateLimits;

	private final TaskRevocation revocation;

	private final WorkflowContinuation workflows;

	private final List<TaskInterceptor> interceptors;

	private final List<MetadataContributor> contributors;

	private final LifecycleEvents events;

	private final TaskOutcomes outcomes;

	private volatile boolean stopping;

	TaskExecution(TaskRegistry registry, CeleryProtocol protocol, Topology topology, WorkerSettings settings,
			DelayedTaskStore delayedTasks, TaskRateLimits rateLimits, TaskRevocation revocation,
			WorkflowContinuation workflows, WorkerExtensions extensions, LifecycleEvents events,
			TaskOutcomes outcomes) {
		this.registry = registry;
		this.protocol = protocol;
		this.binder = new ArgumentBinder(protocol.mapper());
		this.topology = topology;
		this.settings = settings;
		this.delayedTasks = delayedTasks;
		this.rateLimits = rateLimits;
		this.revocation = revocation;
		this.workflows = workflows;
		this.interceptors = extensions.interceptors();
		this.contributors = extensions.contributors();
		this.events = events;
		this.outcomes = outcomes;
	}

	void stopping(boolean stopping) {
		this.stopping = stopping;
	}

	/**
	 * Handles one delivery once the worker may take it.
	 */
	void handle(Delivery delivery) {
		OutcomePipeline pipeline = this.outcomes.pipeline();
		if (!pipeline.admit(delivery.queue())) {
			// the worker stops, or stops consuming the queue: the message was not
			// started, it goes back to its queue
			delivery.reject(true);
			return;
		}
		try {
			handleAdmitted(delivery);
		}
		finally {
			pipeline.finished(delivery.queue());
		}
	}

	private void handleAdmitted(Delivery delivery) {
		int size = delivery.message().body().length;
		if (size > this.settings.maxMessageSize()) {
			this.outcomes.reject(delivery, null, ErrorKind.MESSAGE_TOO_LARGE,
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
			this.outcomes.reject(delivery, null, ex.getKind(), ex.getMessage(), ex);
			return;
		}
		MDC.put(TaskWorker.TASK_ID_MDC_KEY, message.id());
		MDC.put(TaskWorker.TASK_NAME_MDC_KEY, message.task());
		List<MetadataContributor.Scope> scopes = consumeMetadata(message);
		try (CurrentTask.Scope current = CurrentTask.enter(message.id(), message.headers().rootId())) {
			runRecovering(delivery, message);
		}
		finally {
			for (int i = scopes.size() - 1; i >= 0; i--) {
				scopes.get(i).close();
			}
			MDC.remove(TaskWorker.TASK_ID_MDC_KEY);
			MDC.remove(TaskWorker.TASK_NAME_MDC_KEY);
		}
	}

	/**
	 * Runs the task; when what must happen before the outcome is handed over cannot be
	 * done (the broker or the store is failing), gives the message back after a pause
	 * that grows while the failures go on, so that a broken server is not hammered in a
	 * tight loop.
	 */
	private void runRecovering(Delivery delivery, TaskMessage message) {
		if (delivery.redelivered()) {
			logger.info("Task {}[{}] was delivered before to a worker that did not finish it; running it again",
					message.task(), message.id());
		}
		try {
			run(delivery, message);
			this.outcomes.failures().reset();
		}
		catch (RuntimeException ex) {
			Duration pause = this.outcomes.failures().next();
			logger.error("Task {}[{}] could not be completed ({}); it goes back to {} in {} ms", message.task(),
					message.id(), ex.getMessage(), delivery.queue(), pause.toMillis(), ex);
			pause(pause);
			delivery.reject(true);
			this.events.notify((listener) -> listener.onReject(message.id(), message, true));
		}
	}

	static void pause(Duration pause) {
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
			this.outcomes.reject(delivery, message, ex.getKind(), ex.getMessage(), ex);
			return;
		}
		if (delivery.redelivered() && this.outcomes.retries().sent(message)) {
			// this worker published the retry of this attempt, but its acknowledgement
			// was lost: the retry carries the task on (a message sent anew, e.g. requeued
			// from the error queue, is not a redelivery and runs)
			logger.info("Task {}[{}] came back after its retry was published; acknowledged without running it",
					message.task(), message.id());
			delivery.ack();
			return;
		}
		if (expires != null && !expires.isAfter(now)) {
			this.outcomes.revoked(delivery, message, TaskFailure.expired(), () -> {
				logger.info("Task {}[{}] expired at {} and was not run", message.task(), message.id(), expires);
				this.events.notify((listener) -> listener.onExpire(message));
			});
			return;
		}
		if (this.revocation.isRevoked(message.id())) {
			// as Celery's worker: recorded REVOKED and acknowledged, never started
			this.outcomes.revoked(delivery, message, TaskFailure.revoked(false), () -> {
				logger.info("Task {}[{}] was revoked and is not run", message.task(), message.id());
				this.events.notify((listener) -> listener.onRevoke(message, false));
			});
			return;
		}
		if (eta != null && eta.isAfter(now)) {
			this.delayedTasks.schedule(new DelayedTask(this.topology.exchange(), delivery.routingKey(),
					delivery.message(), eta, delivery.queue()));
			delivery.ack();
			logger.debug("Task {}[{}] waits for its eta {}", message.task(), message.id(), eta);
			this.events.notify((listener) -> listener.onDelay(message));
			return;
		}
		if (overDeliveryLimit(delivery, message) || waitsForItsTurn(delivery, message)) {
			return;
		}
		this.events.notify((listener) -> listener.onPop(message));
		if (this.workflows.runs(message)) {
			this.workflows.run(message, delivery.routingKey());
			delivery.ack();
			return;
		}
		Optional<TaskMethod> found = this.registry.find(message.task());
		if (found.isEmpty()) {
			this.outcomes.unknownTask(delivery, message, "No task named '" + message.task()
					+ "' is registered in worker " + this.settings.name() + "; it knows " + this.registry.names());
			return;
		}
		invoke(delivery, message, found.get());
	}

	private void invoke(Delivery delivery, TaskMessage message, TaskMethod task) {
		Object[] arguments;
		try {
			arguments = this.binder.bind(task, message.body().args(), message.body().kwargs());
		}
		catch (ArgumentMismatchException ex) {
			this.outcomes.rejectedWithFailure(delivery, message,
					new TaskFailure("TypeError", "builtins", ex.getMessage(), ErrorQueue.stackTrace(ex)),
					ErrorKind.ARGUMENTS_MISMATCH, ex.getMessage(), ex);
			return;
		}
		this.outcomes.started(delivery, message);
		Object value;
		try {
			value = intercepted(message, task, arguments, 0);
		}
		catch (Throwable ex) {
			if (this.revocation.terminated(message.id())) {
				this.outcomes.revoked(delivery, message, TaskFailure.revoked(true), () -> {
					logger.info("Task {}[{}] was terminated by a revoke command ({})", message.task(), message.id(),
							ex.toString());
					this.events.notify((listener) -> listener.onRevoke(message, true));
				});
				return;
			}
			if ((this.stopping || this.outcomes.pipeline().lettingGo(delivery.queue())) && interrupted(ex)) {
				// the shutdown timeout passed: the subscription handed the message back
				logger.info("Task {}[{}] was interrupted by the worker's shutdown; it goes back to {}", message.task(),
						message.id(), delivery.queue());
				delivery.reject(true);
				this.events.notify((listener) -> listener.onReject(message.id(), message, true));
				return;
			}
			this.outcomes.failed(delivery, message, task, ex);
			return;
		}
		JsonNode result = this.protocol.mapper().valueToTree(value);
		this.outcomes.succeeded(delivery, message, result);
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
		this.events.notify((listener) -> listener.onDelay(message));
		return true;
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
		this.outcomes.rejectedWithFailure(delivery, message,
				new TaskFailure("WorkerLostError", "billiard.exceptions", reason, ""), ErrorKind.DELIVERY_LIMIT, reason,
				null);
		return true;
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

}

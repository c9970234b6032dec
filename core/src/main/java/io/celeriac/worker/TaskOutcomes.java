package io.celeriac.worker;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.execution.RefusalPolicy;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.task.Deferrable;
import io.celeriac.task.RetryPolicy;
import io.celeriac.task.TaskMethod;
import io.celeriac.workflow.WorkflowContinuation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Records what became of each message and settles its delivery: the state of the task
 * (through the {@link OutcomePipeline}, so that the delivery is acknowledged only once
 * the state is recorded), a retry published as Celery's {@code self.retry} does, the
 * error queue for what failed for good, and the workflow that continues from the task.
 * Whatever depends on a recorded state (a chord's count, a callback, a retry) happens
 * after it is recorded.
 *
 * @author Celeriac team
 */
final class TaskOutcomes {

	private static final Logger logger = LoggerFactory.getLogger(TaskWorker.class);

	private final @Nullable ResultStore results;

	private final ErrorQueue errorQueue;

	private final WorkflowContinuation workflows;

	private final WorkerSettings settings;

	private final RetryPublisher retries;

	private final LifecycleEvents events;

	private final OutcomePipeline pipeline;

	private final FailureBackoff failures = new FailureBackoff(Duration.ofMillis(100), Duration.ofSeconds(30));

	private final Map<Method, RetryPolicy> policies = new ConcurrentHashMap<>();

	TaskOutcomes(@Nullable ResultStore results, ErrorQueue errorQueue, WorkflowContinuation workflows,
			WorkerSettings settings, RetryPublisher retries, LifecycleEvents events, int pendingOutcomes) {
		this.results = results;
		this.errorQueue = errorQueue;
		this.workflows = workflows;
		this.settings = settings;
		this.retries = retries;
		this.events = events;
		this.pipeline = new OutcomePipeline(results, pendingOutcomes, settings.name(),
				Math.max(2, Math.min(settings.concurrency(), 8)), this::giveBack);
	}

	OutcomePipeline pipeline() {
		return this.pipeline;
	}

	FailureBackoff failures() {
		return this.failures;
	}

	RetryPublisher retries() {
		return this.retries;
	}

	void succeeded(Delivery delivery, TaskMessage message, JsonNode result) {
		this.pipeline.complete(delivery, message, row(message, delivery, TaskState.SUCCESS, result, null), () -> {
			this.workflows.succeeded(message, delivery.routingKey(), result);
			delivery.ack();
			logger.debug("Task {}[{}] succeeded", message.task(), message.id());
			this.events.notify((listener) -> listener.onComplete(message));
		}, false);
	}

	/**
	 * Records a task REVOKED (expired, revoked, or terminated by a revoke command), then
	 * acknowledges it and runs {@code then} (which logs and tells the listeners).
	 */
	void revoked(Delivery delivery, TaskMessage message, TaskFailure failure, Runnable then) {
		this.pipeline.complete(delivery, message, row(message, delivery, TaskState.REVOKED, null, failure), () -> {
			delivery.ack();
			then.run();
		}, false);
	}

	void failed(Delivery delivery, TaskMessage message, TaskMethod task, Throwable ex) {
		RetryPolicy policy = this.policies.computeIfAbsent(task.method(), TaskOutcomes::policyOf);
		if (!policy.isRetryable(ex) && RefusalPolicy.isRefusal(ex)) {
			refused(delivery, message, ex);
			return;
		}
		int attempt = message.headers().retries() + 1;
		Instant now = Instant.now();
		Object firstFailure = message.headers().extra().get(TaskWorker.FIRST_FAILURE_HEADER);
		String first = (firstFailure != null) ? firstFailure.toString() : now.toString();
		TaskFailure failure = this.errorQueue.limits().apply(TaskFailure.of(ex, ErrorQueue.stackTrace(ex)));
		if (policy.shouldRetry(ex, attempt)) {
			Duration delay = policy.delay(attempt);
			Map<String, @Nullable Object> headers = new LinkedHashMap<>();
			headers.put(TaskWorker.FIRST_FAILURE_HEADER, first);
			// RETRY is recorded before the next attempt exists, so that attempt's outcome
			// cannot be overwritten by it, and a failed record publishes no retry at all
			this.pipeline.complete(delivery, message, row(message, delivery, TaskState.RETRY, null, failure), () -> {
				this.retries.publishOnce(delivery, message, now.plus(delay), message.headers().retries() + 1, headers);
				delivery.ack();
				logger.info("Task {}[{}] raised {} on attempt {} of {}; retrying in {} ms", message.task(),
						message.id(), ex.getClass().getName(), attempt, policy.maxAttempts(), delay.toMillis());
				this.events.notify((listener) -> listener.onRetry(message, ex, delay));
			}, true);
			return;
		}
		logger.warn("Task {}[{}] raised {} on attempt {}: {}", message.task(), message.id(), ex.getClass().getName(),
				attempt, this.errorQueue.limits().message(ex.getMessage()));
		boolean exhausted = policy.isRetryable(ex);
		Map<String, Object> attempts = new LinkedHashMap<>();
		attempts.put(ErrorHeaders.ATTEMPTS, attempt);
		attempts.put(ErrorHeaders.FIRST_FAILURE, first);
		attempts.put(ErrorHeaders.LAST_FAILURE, now.toString());
		String reason = "Task " + message.task() + " raised " + ex.getClass().getName() + ": " + ex.getMessage()
				+ (exhausted ? " on its last attempt (" + attempt + " of " + policy.maxAttempts() + ")" : "");
		failedForGood(delivery, message, failure, exhausted ? ErrorKind.RETRIES_EXHAUSTED : ErrorKind.TASK_FAILED,
				reason, ex, attempts);
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
			this.pipeline.complete(delivery, message, row(message, delivery, TaskState.RETRY, null, failure), () -> {
				this.retries.publishOnce(delivery, message, Instant.now().plus(countdown), message.headers().retries(),
						Map.of(TaskWorker.REFUSALS_HEADER, refusals));
				delivery.ack();
				logger.info("Task {}[{}] was refused ({}: {}), refusal {} of at most {}; it runs again in {} ms",
						message.task(), message.id(), ex.getClass().getSimpleName(), ex.getMessage(), refusals,
						policy.maxRetries(), countdown.toMillis());
				this.events.notify((listener) -> listener.onRetry(message, ex, countdown));
			}, true);
			return;
		}
		String reason = "Task " + message.task() + " was refused by its lock or limiter " + refusals
				+ " times, the last time with " + ex.getClass().getName() + ": " + ex.getMessage()
				+ "; celeriac.worker.refusal.max-retries (" + policy.maxRetries()
				+ ") bounds how often it is sent again, celeriac.worker.refusal.countdown how long it waits";
		logger.warn("{}", reason);
		failedForGood(delivery, message, failure, ErrorKind.RETRIES_EXHAUSTED, reason, ex,
				Map.<String, Object>of(TaskWorker.REFUSALS_HEADER, refusals));
	}

	private void failedForGood(Delivery delivery, TaskMessage message, TaskFailure failure, ErrorKind kind,
			String reason, Throwable ex, Map<String, Object> more) {
		this.pipeline.complete(delivery, message, row(message, delivery, TaskState.FAILURE, null, failure), () -> {
			this.workflows.failed(message, delivery.routingKey(), failure);
			quarantine(delivery, message, kind, reason, ex, more);
			this.events.notify((listener) -> listener.onError(message, ex));
		}, false);
	}

	/**
	 * Records a task FAILURE that was not run (its arguments do not fit, or it was
	 * delivered too often), then moves its message to the error queue.
	 */
	void rejectedWithFailure(Delivery delivery, TaskMessage message, TaskFailure failure, ErrorKind kind, String reason,
			@Nullable Throwable exception) {
		this.pipeline.complete(delivery, message, row(message, delivery, TaskState.FAILURE, null, failure),
				() -> reject(delivery, message, kind, reason, exception), false);
	}

	/**
	 * Records FAILURE for a message naming a task this worker does not know, unless a
	 * final state is recorded for its id (anyone who can publish chooses the id: a
	 * finished task's outcome is kept), then moves it to the error queue.
	 */
	void unknownTask(Delivery delivery, TaskMessage message, String reason) {
		TaskResult row = row(message, delivery, TaskState.FAILURE, null,
				new TaskFailure("NotRegistered", "celery.exceptions", message.task(), ""));
		if (row != null && this.results != null && !this.results.saveUnlessFinal(row)) {
			logger.warn("Task {}[{}] is not registered; the final state recorded for id {} was kept", message.task(),
					message.id(), message.id());
		}
		reject(delivery, message, ErrorKind.UNKNOWN_TASK, reason, null);
	}

	/**
	 * Records a task STARTED, when the settings ask for it.
	 */
	void started(Delivery delivery, TaskMessage message) {
		TaskResult row = row(message, delivery, TaskState.STARTED, null, null);
		if (this.settings.trackStarted() && row != null && this.results != null) {
			this.results.save(row);
		}
	}

	/**
	 * Moves a message the worker does not run to the error queue (or, if that fails, back
	 * to its queue), and tells the listeners it was rejected, under the id of its
	 * {@code id} header when it could not be decoded.
	 */
	void reject(Delivery delivery, @Nullable TaskMessage message, ErrorKind kind, String reason,
			@Nullable Throwable exception) {
		boolean requeued = !quarantine(delivery, message, kind, reason, exception, Map.of());
		String id = (message != null) ? message.id()
				: (delivery.message().headers().get("id") instanceof String header) ? header : null;
		if (id != null) {
			this.events.notify((listener) -> listener.onReject(id, message, requeued));
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
			TaskExecution.pause(pause);
			delivery.reject(true);
			return false;
		}
	}

	/**
	 * Gives back a delivery whose outcome is recorded but whose follow-up failed, as the
	 * worker gives back any delivery it could not complete: after a pause that grows
	 * while the failures go on, so that a failing broker does not get the message back in
	 * a tight loop. The outcome stays counted as waiting meanwhile, so the worker takes
	 * fewer new messages.
	 */
	private void giveBack(Delivery delivery, TaskMessage message, RuntimeException ex) {
		Duration pause = this.failures.next();
		logger.error("Task {}[{}] could not be completed ({}); it goes back to {} in {} ms", message.task(),
				message.id(), ex.getMessage(), delivery.queue(), pause.toMillis(), ex);
		TaskExecution.pause(pause);
		delivery.reject(true);
		this.events.notify((listener) -> listener.onReject(message.id(), message, true));
	}

	private @Nullable TaskResult row(TaskMessage message, Delivery delivery, TaskState state, @Nullable JsonNode value,
			@Nullable TaskFailure failure) {
		if (this.results == null || message.headers().ignoreResult()) {
			return null;
		}
		// every row's failure is cut to the configured sizes here, whichever path
		// recorded it
		return new TaskResult(message.id(), state, value,
				(failure != null) ? this.errorQueue.limits().apply(failure) : null, message.task(),
				message.body().args(), message.body().kwargs(), this.settings.name(), message.headers().retries(),
				delivery.routingKey(), Instant.now());
	}

	private static int refusals(TaskMessage message) {
		Object value = message.headers().extra().get(TaskWorker.REFUSALS_HEADER);
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

	private static RetryPolicy policyOf(Method method) {
		Deferrable deferrable = AnnotatedElementUtils.findMergedAnnotation(method, Deferrable.class);
		return (deferrable != null) ? RetryPolicy.of(deferrable) : RetryPolicy.none();
	}

}

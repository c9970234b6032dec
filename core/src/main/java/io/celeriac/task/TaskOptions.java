package io.celeriac.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How to send one task, beyond its name and arguments.
 *
 * @param taskId the task id to use, or {@code null} for a new random one
 * @param routingKey the routing key, or {@code null} to let the {@code TaskRouter} choose
 * @param priority the message priority (0 to 255; 0 by default, as Celery sends)
 * @param ignoreResult whether the worker should not record the result
 * @param headers extra headers, put after Celery's own
 * @param eta the earliest time the task may run (Celery's {@code eta}; a countdown
 * becomes one), or {@code null} for at once
 * @param expires when the task expires and will not run any more (Celery's
 * {@code expires}), or {@code null} for never
 * @param debounce the debounce window (identical calls within it are sent at most once
 * now and once at its end, the rest skipped), or {@code null} for no debouncing
 * @param debounceAlwaysDelay whether a debounced call is delayed to the window's end even
 * when it is the first
 * @author Celeriac team
 */
public record TaskOptions(@Nullable String taskId, @Nullable String routingKey, int priority, boolean ignoreResult,
		Map<String, Object> headers, @Nullable Instant eta, @Nullable Instant expires, @Nullable Duration debounce,
		boolean debounceAlwaysDelay) {

	private static final TaskOptions DEFAULTS = new TaskOptions(null, null, 0, false, Map.of(), null, null, null,
			false);

	public TaskOptions {
		if (priority < 0 || priority > 255) {
			throw new IllegalArgumentException("priority must be between 0 and 255, not " + priority);
		}
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
		if (debounce != null && debounce.toMillis() < 1) {
			throw new IllegalArgumentException("debounce must be at least 1 ms, not " + debounce);
		}
	}

	/**
	 * Returns the options of a task sent with none given.
	 * @return the defaults
	 */
	public static TaskOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns a copy with the given task id.
	 * @param taskId the task id
	 * @return the new options
	 */
	public TaskOptions withTaskId(String taskId) {
		return new TaskOptions(taskId, this.routingKey, this.priority, this.ignoreResult, this.headers, this.eta,
				this.expires, this.debounce, this.debounceAlwaysDelay);
	}

	/**
	 * Returns a copy with the given routing key, which wins over the router.
	 * @param routingKey the routing key
	 * @return the new options
	 */
	public TaskOptions withRoutingKey(String routingKey) {
		return new TaskOptions(this.taskId, routingKey, this.priority, this.ignoreResult, this.headers, this.eta,
				this.expires, this.debounce, this.debounceAlwaysDelay);
	}

	/**
	 * Returns a copy with the given priority.
	 * @param priority the priority, 0 to 255
	 * @return the new options
	 */
	public TaskOptions withPriority(int priority) {
		return new TaskOptions(this.taskId, this.routingKey, priority, this.ignoreResult, this.headers, this.eta,
				this.expires, this.debounce, this.debounceAlwaysDelay);
	}

	/**
	 * Returns a copy that asks the worker not to record the result.
	 * @param ignoreResult whether to ignore the result
	 * @return the new options
	 */
	public TaskOptions withIgnoreResult(boolean ignoreResult) {
		return new TaskOptions(this.taskId, this.routingKey, this.priority, ignoreResult, this.headers, this.eta,
				this.expires, this.debounce, this.debounceAlwaysDelay);
	}

	/**
	 * Returns a copy with one more header.
	 * @param name the header name
	 * @param value the header value
	 * @return the new options
	 */
	public TaskOptions withHeader(String name, Object value) {
		Map<String, Object> more = new LinkedHashMap<>(this.headers);
		more.put(name, value);
		return new TaskOptions(this.taskId, this.routingKey, this.priority, this.ignoreResult, more, this.eta,
				this.expires, this.debounce, this.debounceAlwaysDelay);
	}

	/**
	 * Returns a copy whose task runs no earlier than the given time.
	 * @param eta the earliest time
	 * @return the new options
	 */
	public TaskOptions withEta(@Nullable Instant eta) {
		return new TaskOptions(this.taskId, this.routingKey, this.priority, this.ignoreResult, this.headers, eta,
				this.expires, this.debounce, this.debounceAlwaysDelay);
	}

	/**
	 * Returns a copy whose task runs once the given time has passed, as Celery's
	 * {@code countdown}.
	 * @param countdown how long to wait from now
	 * @return the new options
	 */
	public TaskOptions withCountdown(Duration countdown) {
		if (countdown.isNegative()) {
			throw new IllegalArgumentException("countdown must not be negative, not " + countdown);
		}
		return withEta(Instant.now().plus(countdown));
	}

	/**
	 * Returns a copy whose task expires at the given time.
	 * @param expires the expiry time
	 * @return the new options
	 */
	public TaskOptions withExpires(@Nullable Instant expires) {
		return new TaskOptions(this.taskId, this.routingKey, this.priority, this.ignoreResult, this.headers, this.eta,
				expires, this.debounce, this.debounceAlwaysDelay);
	}

	/**
	 * Returns a copy whose task expires once the given time has passed from now.
	 * @param timeToLive how long the task may wait
	 * @return the new options
	 */
	public TaskOptions withTimeToLive(Duration timeToLive) {
		if (timeToLive.isNegative() || timeToLive.isZero()) {
			throw new IllegalArgumentException("timeToLive must be positive, not " + timeToLive);
		}
		return withExpires(Instant.now().plus(timeToLive));
	}

	/**
	 * Returns a copy that debounces the call: identical calls (same task, same arguments)
	 * within the window, from any producer sharing the debouncer, are sent at most once
	 * now and once at the window's end; the others are skipped, and their handles never
	 * complete, so debounce tasks whose result nobody waits for.
	 * @param window the window
	 * @param alwaysDelay whether the first call is delayed to the window's end too
	 * @return the new options
	 */
	public TaskOptions withDebounce(Duration window, boolean alwaysDelay) {
		return new TaskOptions(this.taskId, this.routingKey, this.priority, this.ignoreResult, this.headers, this.eta,
				this.expires, window, alwaysDelay);
	}

}

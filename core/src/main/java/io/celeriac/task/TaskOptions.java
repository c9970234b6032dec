package io.celeriac.task;

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
 * @author Celeriac team
 */
public record TaskOptions(@Nullable String taskId, @Nullable String routingKey, int priority, boolean ignoreResult,
		Map<String, Object> headers) {

	private static final TaskOptions DEFAULTS = new TaskOptions(null, null, 0, false, Map.of());

	public TaskOptions {
		if (priority < 0 || priority > 255) {
			throw new IllegalArgumentException("priority must be between 0 and 255, not " + priority);
		}
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
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
		return new TaskOptions(taskId, this.routingKey, this.priority, this.ignoreResult, this.headers);
	}

	/**
	 * Returns a copy with the given routing key, which wins over the router.
	 * @param routingKey the routing key
	 * @return the new options
	 */
	public TaskOptions withRoutingKey(String routingKey) {
		return new TaskOptions(this.taskId, routingKey, this.priority, this.ignoreResult, this.headers);
	}

	/**
	 * Returns a copy with the given priority.
	 * @param priority the priority, 0 to 255
	 * @return the new options
	 */
	public TaskOptions withPriority(int priority) {
		return new TaskOptions(this.taskId, this.routingKey, priority, this.ignoreResult, this.headers);
	}

	/**
	 * Returns a copy that asks the worker not to record the result.
	 * @param ignoreResult whether to ignore the result
	 * @return the new options
	 */
	public TaskOptions withIgnoreResult(boolean ignoreResult) {
		return new TaskOptions(this.taskId, this.routingKey, this.priority, ignoreResult, this.headers);
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
		return new TaskOptions(this.taskId, this.routingKey, this.priority, this.ignoreResult, more);
	}

}

package io.celeriac.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One Celery event message: a JSON object whose {@code type} (e.g.
 * {@code task-succeeded}) says what happened, with the fields Celery's
 * {@code EventDispatcher} adds to every event ({@code hostname}, {@code timestamp},
 * {@code utcoffset}, {@code pid}, {@code clock}) and those of its type.
 *
 * @param fields every field, {@code type} included, as they go on the wire
 * @author Celeriac team
 */
public record CeleryEvent(Map<String, @Nullable Object> fields) {

	public CeleryEvent {
		if (!(fields.get("type") instanceof String)) {
			throw new IllegalArgumentException("A Celery event needs a 'type' string field: " + fields);
		}
		fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
	}

	/**
	 * Returns the event's type.
	 * @return e.g. {@code task-sent} or {@code worker-heartbeat}
	 */
	public String type() {
		return (String) fields().get("type");
	}

	/**
	 * Returns the routing key Celery publishes the event with: its type with {@code -}
	 * replaced by {@code .}.
	 * @return e.g. {@code task.sent}
	 */
	public String routingKey() {
		return type().replace('-', '.');
	}

	/**
	 * Returns the {@code hostname} field: the worker or producer that sent it.
	 * @return the host name, or {@code null} when the event has none
	 */
	public @Nullable String hostname() {
		return (fields().get("hostname") instanceof String hostname) ? hostname : null;
	}

	/**
	 * Returns the {@code uuid} field of a task event: the task's id.
	 * @return the task id, or {@code null} for a worker event
	 */
	public @Nullable String taskId() {
		return (fields().get("uuid") instanceof String uuid) ? uuid : null;
	}

	/**
	 * Returns a field.
	 * @param name the field's name
	 * @return its value, or {@code null} when absent
	 */
	public @Nullable Object get(String name) {
		return fields().get(name);
	}

}

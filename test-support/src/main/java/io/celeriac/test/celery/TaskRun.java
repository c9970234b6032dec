package io.celeriac.test.celery;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run of a task in the Python Celery worker, as the task recorded it: the task
 * request the worker built from the message (headers, properties, delivery) and the
 * result.
 *
 * @param task the task name
 * @param id the task id (header {@code id})
 * @param args the positional arguments
 * @param kwargs the keyword arguments
 * @param retries header {@code retries}
 * @param rootId header {@code root_id}
 * @param parentId header {@code parent_id}
 * @param lang header {@code lang}, e.g. {@code py} or {@code java}
 * @param origin header {@code origin}
 * @param correlationId AMQP property {@code correlation_id}
 * @param replyTo AMQP property {@code reply_to}
 * @param routingKey the routing key the message was published with
 * @param exchange the exchange it was published to
 * @param redelivered whether the broker redelivered it
 * @param pid the worker process that ran it
 * @param phase {@code started} or {@code finished} for tasks that record both, else
 * {@code null}
 * @param result the task's result, when it recorded one
 * @param json the record as the task wrote it
 * @author Celeriac team
 */
public record TaskRun(String task, String id, List<Object> args, Map<String, Object> kwargs, int retries,
		@Nullable String rootId, @Nullable String parentId, @Nullable String lang, @Nullable String origin,
		@Nullable String correlationId, @Nullable String replyTo, @Nullable String routingKey,
		@Nullable String exchange, boolean redelivered, long pid, @Nullable String phase, @Nullable Object result,
		String json) {

	/**
	 * Reads a record line written by {@code celeriac_interop.py}.
	 * @param line one JSON line
	 * @return the run
	 */
	@SuppressWarnings("unchecked")
	static TaskRun parse(String line) {
		Map<String, @Nullable Object> record = JsonMapper.shared().readValue(line, Map.class);
		Object args = record.get("args");
		Object kwargs = record.get("kwargs");
		return new TaskRun(string(record, "task"), string(record, "id"),
				(args != null) ? (List<Object>) args : List.of(),
				(kwargs != null) ? (Map<String, Object>) kwargs : Map.of(), number(record, "retries").intValue(),
				optional(record, "root_id"), optional(record, "parent_id"), optional(record, "lang"),
				optional(record, "origin"), optional(record, "correlation_id"), optional(record, "reply_to"),
				optional(record, "routing_key"), optional(record, "exchange"),
				Boolean.TRUE.equals(record.get("redelivered")), number(record, "pid").longValue(),
				optional(record, "phase"), record.get("result"), line);
	}

	private static String string(Map<String, @Nullable Object> record, String key) {
		String value = optional(record, key);
		if (value == null) {
			throw new IllegalArgumentException("Task record without '" + key + "': " + record);
		}
		return value;
	}

	private static @Nullable String optional(Map<String, @Nullable Object> record, String key) {
		Object value = record.get(key);
		return (value != null) ? value.toString() : null;
	}

	private static Number number(Map<String, @Nullable Object> record, String key) {
		return (record.get(key) instanceof Number number) ? number : 0;
	}

}

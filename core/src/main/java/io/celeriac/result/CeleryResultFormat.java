package io.celeriac.result;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Translates between a {@link TaskResult} and the values Celery's result backends store:
 * the {@code result} value (the return value, the exception as {@code {'exc_type',
 * 'exc_message': (...), 'exc_module'}}, or the STARTED meta {@code {'pid', 'hostname'}})
 * as plain Java values (maps, lists, arrays for tuples, strings, numbers, booleans,
 * {@code null}), and {@code date_done} as naive UTC.
 *
 * @author Celeriac team
 */
public final class CeleryResultFormat {

	private final ObjectMapper mapper;

	/**
	 * Creates a format.
	 * @param mapper converts plain values to and from JSON trees
	 */
	public CeleryResultFormat(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Returns the mapper this format uses.
	 * @return the mapper
	 */
	public ObjectMapper mapper() {
		return this.mapper;
	}

	/**
	 * Returns the value Celery stores as {@code result} for this record.
	 * @param result the record
	 * @param tuples whether Python tuples are written as Java arrays (pickle) or lists
	 * (JSON)
	 * @return a plain value
	 */
	public @Nullable Object resultValue(TaskResult result, boolean tuples) {
		TaskFailure failure = result.failure();
		if (failure != null) {
			Map<String, Object> exception = new LinkedHashMap<>();
			exception.put("exc_type", failure.exceptionType());
			Object message = tuples ? new Object[] { failure.message() } : List.of(failure.message());
			exception.put("exc_message", message);
			exception.put("exc_module", failure.exceptionModule());
			return exception;
		}
		if (result.state() == TaskState.STARTED && (result.value() == null || result.value().isNull())) {
			Map<String, Object> meta = new LinkedHashMap<>();
			meta.put("pid", ProcessHandle.current().pid());
			meta.put("hostname", (result.worker() != null) ? result.worker() : "");
			return meta;
		}
		return plain(result.value());
	}

	/**
	 * Converts a JSON tree to plain Java values.
	 * @param node the tree
	 * @return maps, lists, strings, numbers, booleans or {@code null}
	 */
	public @Nullable Object plain(@Nullable JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		if (node.isObject()) {
			Map<String, @Nullable Object> map = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				map.put(entry.getKey(), plain(entry.getValue()));
			}
			return map;
		}
		if (node.isArray()) {
			List<@Nullable Object> list = new ArrayList<>();
			for (JsonNode element : node.values()) {
				list.add(plain(element));
			}
			return list;
		}
		if (node.isString()) {
			return node.stringValue();
		}
		if (node.isBoolean()) {
			return node.booleanValue();
		}
		if (node.isIntegralNumber()) {
			if (node.canConvertToInt()) {
				return node.intValue();
			}
			return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
		}
		if (node.isNumber()) {
			return node.doubleValue();
		}
		if (node.isBinary()) {
			return node.binaryValue();
		}
		throw new IllegalArgumentException("Cannot store a " + node.getNodeType() + " in a Celery result");
	}

	/**
	 * Converts a plain value read from a backend to a JSON tree.
	 * @param value the value
	 * @return the tree
	 */
	public JsonNode tree(@Nullable Object value) {
		return this.mapper.valueToTree(value);
	}

	/**
	 * Builds a record from what a Celery backend stored.
	 * @param taskId the task id
	 * @param status the status
	 * @param value the {@code result} value, already decoded
	 * @param traceback the traceback text
	 * @param name the task name
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param worker the worker
	 * @param retries the retries
	 * @param queue the routing key
	 * @param dateDone when the state was recorded
	 * @return the record
	 */
	public TaskResult read(String taskId, String status, @Nullable Object value, @Nullable String traceback,
			@Nullable String name, @Nullable JsonNode args, @Nullable JsonNode kwargs, @Nullable String worker,
			@Nullable Integer retries, @Nullable String queue, @Nullable Instant dateDone) {
		TaskState state;
		try {
			state = TaskState.valueOf(status);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Task " + taskId + " has a status Celeriac does not know: " + status, ex);
		}
		TaskFailure failure = null;
		JsonNode json = null;
		if (value instanceof Map<?, ?> map && map.containsKey("exc_type")
				&& (state == TaskState.FAILURE || state == TaskState.RETRY || state == TaskState.REVOKED)) {
			failure = new TaskFailure(String.valueOf(map.get("exc_type")),
					(map.get("exc_module") != null) ? String.valueOf(map.get("exc_module")) : "",
					exceptionMessage(map.get("exc_message")), (traceback != null) ? traceback : "");
		}
		else {
			json = tree(value);
		}
		return new TaskResult(taskId, state, json, failure, name, args, kwargs, worker, (retries != null) ? retries : 0,
				queue, dateDone);
	}

	private static String exceptionMessage(@Nullable Object message) {
		if (message instanceof Object[] array) {
			return join(List.of(array));
		}
		if (message instanceof Collection<?> collection) {
			return join(collection);
		}
		return (message != null) ? String.valueOf(message) : "";
	}

	private static String join(Collection<?> parts) {
		return parts.stream().map(String::valueOf).collect(Collectors.joining(", "));
	}

	/**
	 * Converts an instant to the naive UTC time Celery stores.
	 * @param instant the instant
	 * @return the UTC date and time
	 */
	public static LocalDateTime utc(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * Converts a naive UTC time Celery stored to an instant.
	 * @param utc the UTC date and time
	 * @return the instant
	 */
	public static Instant instant(LocalDateTime utc) {
		return utc.toInstant(ZoneOffset.UTC);
	}

}

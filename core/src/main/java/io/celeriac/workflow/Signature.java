package io.celeriac.workflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One task call that is described but not sent: a task name with its arguments and
 * options, Celery's {@code signature} ({@code add.s(2, 2)}). An immutable signature
 * ({@code add.si(2, 2)}) does not receive its parent's result as first argument. Options
 * keep Celery's names: {@code task_id}, {@code queue}, {@code routing_key},
 * {@code priority}, {@code countdown}, {@code link} and {@code link_error}; unknown ones
 * are carried along. Instances are immutable: every {@code with} method returns a copy.
 *
 * @param task the task name, e.g. {@code reports.generate}
 * @param args the positional arguments (anything Jackson writes as JSON)
 * @param kwargs the keyword arguments
 * @param options the sending options, in order
 * @param immutable whether the parent's result is not prepended to the arguments
 * @author Celeriac team
 */
public record Signature(String task, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs,
		Map<String, Object> options, boolean immutable) implements Workflow {

	static final String LINK = "link";

	static final String LINK_ERROR = "link_error";

	static final String TASK_ID = "task_id";

	public Signature {
		if (task.isBlank()) {
			throw new IllegalArgumentException("A signature needs a task name");
		}
		args = Collections.unmodifiableList(new ArrayList<>(args));
		kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
		Map<String, Object> copy = new LinkedHashMap<>();
		options.forEach((name, value) -> copy.put(name, (value instanceof List<?> list) ? List.copyOf(list) : value));
		options = Collections.unmodifiableMap(copy);
	}

	/**
	 * Returns a signature of the task with the given arguments ({@code task.s(...)}).
	 * @param task the task name
	 * @param args the positional arguments
	 * @return the signature
	 */
	public static Signature of(String task, @Nullable Object... args) {
		return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), false);
	}

	/**
	 * Returns an immutable signature of the task ({@code task.si(...)}): it ignores its
	 * parent's result.
	 * @param task the task name
	 * @param args the positional arguments
	 * @return the signature
	 */
	public static Signature immutableOf(String task, @Nullable Object... args) {
		return new Signature(task, Arrays.asList(args), Map.of(), Map.of(), true);
	}

	/**
	 * Returns a copy with the given keyword arguments.
	 * @param kwargs the keyword arguments
	 * @return the new signature
	 */
	public Signature withKwargs(Map<String, ?> kwargs) {
		return new Signature(this.task, this.args, new LinkedHashMap<>(kwargs), this.options, this.immutable);
	}

	/**
	 * Returns a copy that is immutable (or not).
	 * @param immutable whether the parent's result is ignored
	 * @return the new signature
	 */
	public Signature withImmutable(boolean immutable) {
		return new Signature(this.task, this.args, this.kwargs, this.options, immutable);
	}

	/**
	 * Returns a copy with one option set ({@code sig.set(name=value)}).
	 * @param name the option name, as Celery names it
	 * @param value the value
	 * @return the new signature
	 */
	public Signature withOption(String name, Object value) {
		Map<String, Object> options = new LinkedHashMap<>(this.options);
		options.put(name, value);
		return new Signature(this.task, this.args, this.kwargs, options, this.immutable);
	}

	/**
	 * Returns a copy with a pre-assigned task id.
	 * @param taskId the id
	 * @return the new signature
	 */
	public Signature withTaskId(String taskId) {
		return withOption(TASK_ID, taskId);
	}

	/**
	 * Returns a copy sent to the given queue: its name, or the service name whose queue
	 * it is (the topology's prefix is taken off), becomes the routing key.
	 * @param queue the queue
	 * @return the new signature
	 */
	public Signature withQueue(String queue) {
		return withOption("queue", queue);
	}

	/**
	 * Returns a copy sent with the given routing key, which wins over the router.
	 * @param routingKey the routing key
	 * @return the new signature
	 */
	public Signature withRoutingKey(String routingKey) {
		return withOption("routing_key", routingKey);
	}

	/**
	 * Returns a copy that sends {@code callback} when this task succeeds, with this
	 * task's result as the callback's first argument unless the callback is immutable
	 * ({@code link=}).
	 * @param callback the callback
	 * @return the new signature
	 */
	public Signature link(Signature callback) {
		return withAdded(LINK, callback);
	}

	/**
	 * Returns a copy that sends {@code errback} when this task fails for good, with this
	 * task's id as the errback's first argument unless the errback is immutable
	 * ({@code link_error=}).
	 * @param errback the errback
	 * @return the new signature
	 */
	public Signature linkError(Signature errback) {
		return withAdded(LINK_ERROR, errback);
	}

	private Signature withAdded(String option, Signature signature) {
		List<Signature> list = new ArrayList<>(signatures(option));
		list.add(signature);
		return withOption(option, list);
	}

	/**
	 * Returns the pre-assigned task id.
	 * @return the id, or {@code null}
	 */
	public @Nullable String taskId() {
		Object id = this.options.get(TASK_ID);
		return (id != null) ? id.toString() : null;
	}

	/**
	 * Returns the success callbacks.
	 * @return the {@code link} signatures
	 */
	public List<Signature> links() {
		return signatures(LINK);
	}

	/**
	 * Returns the failure callbacks.
	 * @return the {@code link_error} signatures
	 */
	public List<Signature> errorLinks() {
		return signatures(LINK_ERROR);
	}

	private List<Signature> signatures(String option) {
		Object value = this.options.get(option);
		if (value instanceof List<?> list) {
			return list.stream().map(Signature.class::cast).toList();
		}
		return List.of();
	}

	/**
	 * Returns this signature as Celery serialises it inside {@code embed}:
	 * {@code {"task", "args", "kwargs", "options", "subtask_type", "immutable"}}.
	 * @param mapper the JSON mapper
	 * @return the JSON object
	 */
	public ObjectNode toJson(ObjectMapper mapper) {
		ObjectNode node = mapper.createObjectNode();
		node.put("task", this.task);
		node.set("args", mapper.valueToTree(this.args));
		node.set("kwargs", mapper.valueToTree(this.kwargs));
		ObjectNode options = node.putObject("options");
		this.options.forEach((name, value) -> {
			if (LINK.equals(name) || LINK_ERROR.equals(name)) {
				ArrayNode list = options.putArray(name);
				signatures(name).forEach((signature) -> list.add(signature.toJson(mapper)));
			}
			else {
				options.set(name, mapper.valueToTree(value));
			}
		});
		node.putNull("subtask_type");
		node.put("immutable", this.immutable);
		return node;
	}

	/**
	 * Reads a signature as Celery serialises it (from an {@code embed} or a
	 * {@code celery.chord_unlock} argument).
	 * @param node the JSON object
	 * @return the signature
	 * @throws IllegalArgumentException if it is not a plain task signature
	 */
	public static Signature fromJson(JsonNode node) {
		if (!node.isObject() || !node.path("task").isString()) {
			throw new IllegalArgumentException("Not a task signature: " + node);
		}
		JsonNode subtaskType = node.path("subtask_type");
		if (!subtaskType.isMissingNode() && !subtaskType.isNull()) {
			throw new IllegalArgumentException("Signature of type '" + subtaskType.asString()
					+ "' is not supported; only plain task signatures are: " + node);
		}
		List<@Nullable Object> args = new ArrayList<>();
		node.path("args").values().forEach(args::add);
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		node.path("kwargs").properties().forEach((entry) -> kwargs.put(entry.getKey(), entry.getValue()));
		Map<String, Object> options = new LinkedHashMap<>();
		node.path("options").properties().forEach((entry) -> {
			String name = entry.getKey();
			JsonNode value = entry.getValue();
			if (LINK.equals(name) || LINK_ERROR.equals(name)) {
				List<Signature> list = new ArrayList<>();
				if (value.isArray()) {
					value.values().forEach((element) -> list.add(fromJson(element)));
				}
				else if (value.isObject()) {
					list.add(fromJson(value));
				}
				options.put(name, list);
			}
			else if (!value.isNull()) {
				options.put(name, plain(value));
			}
		});
		return new Signature(node.path("task").stringValue(), args, kwargs, options,
				node.path("immutable").asBoolean(false));
	}

	private static Object plain(JsonNode value) {
		if (value.isString()) {
			return value.stringValue();
		}
		if (value.isNumber()) {
			return value.numberValue();
		}
		if (value.isBoolean()) {
			return value.booleanValue();
		}
		return value;
	}

	@Override
	public String toString() {
		return this.task + "(" + this.args + ", " + this.kwargs + ")" + (this.immutable ? " immutable" : "")
				+ (this.options.isEmpty() ? "" : " " + this.options);
	}

}

package io.celeriac.worker;

import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import java.lang.reflect.Parameter;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts a message's JSON arguments to the declared (generic) parameter types of a task
 * method: positional arguments fill parameters from the left, keyword arguments bind by
 * parameter name (the build compiles with {@code -parameters}).
 *
 * @author Celeriac team
 */
public class ArgumentBinder {

	private final ObjectMapper mapper;

	/**
	 * Creates a binder.
	 * @param mapper the JSON mapper that converts each argument
	 */
	public ArgumentBinder(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Converts the arguments for a call.
	 * @param task the task method
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @return the converted arguments, one per parameter
	 * @throws ArgumentMismatchException if they do not fit
	 */
	public Object[] bind(TaskMethod task, ArrayNode args, ObjectNode kwargs) {
		Parameter[] parameters = task.method().getParameters();
		if (args.size() > parameters.length) {
			throw new ArgumentMismatchException(task.describe() + " takes " + parameters.length
					+ " argument(s) but the message has " + args.size() + " positional argument(s)");
		}
		JsonNode[] values = new JsonNode[parameters.length];
		for (int i = 0; i < args.size(); i++) {
			values[i] = args.get(i);
		}
		Set<String> unknown = new LinkedHashSet<>();
		Iterator<Map.Entry<String, JsonNode>> entries = kwargs.properties().iterator();
		while (entries.hasNext()) {
			Map.Entry<String, JsonNode> entry = entries.next();
			int index = indexOf(parameters, entry.getKey());
			if (index < 0) {
				unknown.add(entry.getKey());
			}
			else if (values[index] != null) {
				throw new ArgumentMismatchException(task.describe() + " got parameter '" + entry.getKey()
						+ "' both as positional argument " + (index + 1) + " and as keyword argument");
			}
			else {
				values[index] = entry.getValue();
			}
		}
		if (!unknown.isEmpty()) {
			throw new ArgumentMismatchException(
					task.describe() + " has no parameter named " + String.join(", ", unknown));
		}
		Object[] converted = new Object[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			converted[i] = convert(task, parameters[i], i, values[i]);
		}
		return converted;
	}

	private Object convert(TaskMethod task, Parameter parameter, int index, JsonNode value) {
		if (value == null) {
			throw new ArgumentMismatchException(
					task.describe() + " needs a value for parameter '" + parameter.getName() + "'; none was sent");
		}
		if (value.isNull() && parameter.getType().isPrimitive()) {
			throw new ArgumentMismatchException(task.describe() + " cannot take null for parameter '"
					+ parameter.getName() + "' of type " + parameter.getType().getName());
		}
		JavaType type = this.mapper.getTypeFactory().constructType(parameter.getParameterizedType());
		try {
			return this.mapper.treeToValue(value, type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new ArgumentMismatchException("Argument " + (index + 1) + " of " + task.describe() + " ('"
					+ parameter.getName() + "' = " + abbreviate(value.toString()) + ") does not convert to "
					+ type.toCanonical() + ": " + ex.getMessage(), ex);
		}
	}

	private static int indexOf(Parameter[] parameters, String name) {
		for (int i = 0; i < parameters.length; i++) {
			if (parameters[i].getName().equals(name)) {
				return i;
			}
		}
		return -1;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 100) ? text : text.substring(0, 97) + "...";
	}

}

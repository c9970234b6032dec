package io.celeriac.processing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An {@link OperationCallback} method: the operation it serves and the bean method that
 * receives the result and the callback arguments.
 *
 * @param operation the operation name
 * @param target the bean to invoke the method on
 * @param method the method, taking {@code (result, List<callback arguments>)}
 * @author Celeriac team
 */
public record CallbackMethod(String operation, Object target, Method method) {

	public CallbackMethod {
		Class<?>[] types = method.getParameterTypes();
		if (types.length != 2 || !types[1].isAssignableFrom(List.class)) {
			throw new OperationConfigurationException("@OperationCallback(\"" + operation + "\") method "
					+ OperationMethod.describe(method) + " must take (result, List<callback arguments>)");
		}
	}

	/**
	 * Calls the callback, converting the result and the callback arguments to the
	 * declared parameter types.
	 * @param mapper the JSON mapper
	 * @param result the result
	 * @param callbackArgs the callback arguments
	 * @throws Exception what the method threw
	 */
	public void invoke(ObjectMapper mapper, JsonNode result, List<JsonNode> callbackArgs) throws Exception {
		JavaType resultType = mapper.constructType(this.method.getGenericParameterTypes()[0]);
		JavaType argsType = mapper.constructType(this.method.getGenericParameterTypes()[1]);
		Object[] arguments = { mapper.convertValue(result, resultType),
				mapper.convertValue(mapper.valueToTree(callbackArgs), argsType) };
		try {
			this.method.invoke(this.target, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getTargetException();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}

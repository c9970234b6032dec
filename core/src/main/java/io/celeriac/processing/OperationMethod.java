package io.celeriac.processing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An {@link Operation} method: its name and the bean method that computes it.
 *
 * @param name the operation name
 * @param target the bean to invoke the method on
 * @param method the method: {@code (String uri, OperationContext context)} or
 * {@code (String uri, OperationContext context, Map<String, Object> kwargs)}
 * @author Celeriac team
 */
public record OperationMethod(String name, Object target, Method method) {

	public OperationMethod {
		Class<?>[] types = method.getParameterTypes();
		boolean fits = (types.length == 2 || types.length == 3) && types[0] == String.class
				&& types[1] == OperationContext.class && (types.length == 2 || types[2].isAssignableFrom(Map.class));
		if (!fits) {
			throw new OperationConfigurationException("@Operation(\"" + name + "\") method " + describe(method)
					+ " must take (String uri, OperationContext context) or (String uri, OperationContext context, "
					+ "Map<String, Object> kwargs)");
		}
		if (method.getReturnType() == void.class) {
			throw new OperationConfigurationException(
					"@Operation(\"" + name + "\") method " + describe(method) + " must return its result");
		}
	}

	/**
	 * Runs the operation.
	 * @param context the run's context
	 * @return the result
	 * @throws Exception what the method threw
	 */
	public @Nullable Object invoke(OperationContext context) throws Exception {
		Object[] arguments = (this.method.getParameterCount() == 2) ? new Object[] { context.uri(), context }
				: new Object[] { context.uri(), context, context.kwargs() };
		try {
			return this.method.invoke(this.target, arguments);
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

	static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

}

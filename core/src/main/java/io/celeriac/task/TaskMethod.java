package io.celeriac.task;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodIntrospector;

/**
 * A task a worker can run: its name, and the bean method that runs it. For a
 * {@link Deferrable} method the target is the bean as the application context holds it,
 * proxy included, so that {@code @Transactional}, {@code @Locked}, {@code @Limited},
 * {@code @CacheRegion} and any other advice apply when the worker runs the task; the
 * proxy's {@code @Deferrable} advice recognises the worker's call and lets it through
 * instead of sending the task again.
 *
 * @param name the task name
 * @param target the object to invoke the method on
 * @param method the method, as the target's class declares it (its annotations and
 * parameters describe the task)
 * @author Celeriac team
 */
public record TaskMethod(String name, Object target, Method method) {

	/**
	 * Runs the task: invokes the method on the target as the worker's own call.
	 * @param arguments the arguments, converted to the parameter types
	 * @return what the method returned
	 * @throws Throwable what the method (or advice around it) threw
	 */
	public @Nullable Object invoke(@Nullable Object[] arguments) throws Throwable {
		Method invocable = MethodIntrospector.selectInvocableMethod(this.method, this.target.getClass());
		try (CurrentTask.Scope call = WorkerCall.bind(invocable)) {
			return invocable.invoke(this.target, arguments);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * Describes the method for messages, e.g. {@code ReportTasks.generate(int, String)}.
	 * @return the description
	 */
	public String describe() {
		StringBuilder text = new StringBuilder(this.method.getDeclaringClass().getSimpleName()).append('.')
			.append(this.method.getName())
			.append('(');
		java.lang.reflect.Parameter[] parameters = this.method.getParameters();
		for (int i = 0; i < parameters.length; i++) {
			text.append((i > 0) ? ", " : "")
				.append(parameters[i].getParameterizedType().getTypeName().replaceAll("[\\w$]+\\.", ""))
				.append(' ')
				.append(parameters[i].getName());
		}
		return text.append(')').toString();
	}

}

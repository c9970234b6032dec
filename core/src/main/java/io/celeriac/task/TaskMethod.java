package io.celeriac.task;

import java.lang.reflect.Method;

/**
 * A task a worker can run: its name, and the bean method that runs it. The target is the
 * bean as other post-processors left it (so transactions and the like still apply) but
 * without the proxy that turns calls into messages.
 *
 * @param name the task name
 * @param target the object to invoke the method on
 * @param method the method
 * @author Celeriac team
 */
public record TaskMethod(String name, Object target, Method method) {

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

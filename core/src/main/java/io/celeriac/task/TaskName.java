package io.celeriac.task;

import java.lang.reflect.Method;

import org.springframework.util.StringUtils;

/**
 * The name of a {@link Deferrable} method's task.
 *
 * @author Celeriac team
 */
public final class TaskName {

	private TaskName() {
	}

	/**
	 * Returns the task name of a method: the annotation's {@code name}, or the simple
	 * name of the class with a lower-case first letter, a dot and the method name.
	 * @param type the bean's class
	 * @param method the method
	 * @param deferrable the method's annotation
	 * @return the task name
	 */
	public static String of(Class<?> type, Method method, Deferrable deferrable) {
		if (StringUtils.hasText(deferrable.name())) {
			return deferrable.name().trim();
		}
		return StringUtils.uncapitalize(type.getSimpleName()) + "." + method.getName();
	}

}

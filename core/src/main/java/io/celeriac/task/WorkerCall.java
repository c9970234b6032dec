package io.celeriac.task;

import java.lang.reflect.Method;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The worker's own call of a task method, bound to the worker's thread while it invokes
 * the bean's proxy: the {@link DeferrableInterceptor} that meets it first claims it and
 * lets the call through to the method (and to the advice behind it, such as transactions
 * and locks) instead of sending the task again. Claimed once, so that a
 * {@code @Deferrable} method the task calls in turn is sent as a task, as any other
 * caller's would be.
 *
 * @author Celeriac team
 */
final class WorkerCall {

	private static final ThreadLocal<@Nullable Method> PENDING = new ThreadLocal<>();

	private WorkerCall() {
	}

	/**
	 * Marks the coming call of the method on this thread as the worker's.
	 * @param method the task method about to be invoked
	 * @return the scope, which clears the mark if no interceptor claimed it
	 */
	static CurrentTask.Scope bind(Method method) {
		Method previous = PENDING.get();
		PENDING.set(method);
		return () -> {
			if (previous != null) {
				PENDING.set(previous);
			}
			else {
				PENDING.remove();
			}
		};
	}

	/**
	 * Claims the worker's call if the invoked method is the one the worker marked.
	 * @param invoked the method the proxy was called with
	 * @return {@code true} if this is the worker's call, which must run the method
	 */
	static boolean claim(Method invoked) {
		Method pending = PENDING.get();
		if (pending == null || !sameMethod(pending, invoked)) {
			return false;
		}
		PENDING.remove();
		return true;
	}

	/**
	 * Whether two methods are one, or one overrides the other: the proxy may see the
	 * method of a subclass or an interface.
	 */
	private static boolean sameMethod(Method pending, Method invoked) {
		Class<?> declaring = pending.getDeclaringClass();
		Class<?> invokedDeclaring = invoked.getDeclaringClass();
		return pending.getName().equals(invoked.getName())
				&& Arrays.equals(pending.getParameterTypes(), invoked.getParameterTypes())
				&& (declaring.isAssignableFrom(invokedDeclaring) || invokedDeclaring.isAssignableFrom(declaring));
	}

}

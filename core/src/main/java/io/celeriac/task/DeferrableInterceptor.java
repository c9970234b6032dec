package io.celeriac.task;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Turns a call of a {@link Deferrable} method into a task message: the arguments become
 * the message's positional arguments, and the caller gets what the method's return type
 * asks for. The worker's own call ({@link TaskMethod#invoke(Object[])}) goes through to
 * the method instead.
 *
 * @author Celeriac team
 */
final class DeferrableInterceptor implements MethodInterceptor {

	private final Supplier<TaskClient> client;

	private final Map<Method, Call> calls = new ConcurrentHashMap<>();

	DeferrableInterceptor(Supplier<TaskClient> client) {
		this.client = client;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (WorkerCall.claim(invocation.getMethod())) {
			// the worker runs the task: through the rest of the advice to the method
			return invocation.proceed();
		}
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target)
				: invocation.getMethod().getDeclaringClass();
		Call call = this.calls.computeIfAbsent(invocation.getMethod(),
				(method) -> Call.of(targetClass, AopUtils.getMostSpecificMethod(method, targetClass)));
		var args = Arrays.asList(invocation.getArguments());
		TaskClient client = this.client.get();
		if (call.returns() == Kind.FUTURE) {
			return client.sendAsync(call.name(), args, Map.of(), call.options(), call.resultType())
				.thenCompose(TaskHandle::toFuture);
		}
		TaskHandle<?> handle = client.send(call.name(), args, Map.of(), call.options(), call.resultType());
		return (call.returns() == Kind.HANDLE) ? handle : null;
	}

	enum Kind {

		NOTHING, HANDLE, FUTURE

	}

	record Call(String name, Kind returns, Type resultType, long delayMillis, long ttlMillis, long debounceMillis,
			boolean debounceAlwaysDelay) {

		TaskOptions options() {
			TaskOptions options = TaskOptions.defaults();
			if (this.delayMillis > 0) {
				options = options.withCountdown(Duration.ofMillis(this.delayMillis));
			}
			if (this.ttlMillis > 0) {
				options = options.withTimeToLive(Duration.ofMillis(this.ttlMillis));
			}
			if (this.debounceMillis > 0) {
				options = options.withDebounce(Duration.ofMillis(this.debounceMillis), this.debounceAlwaysDelay);
			}
			return options;
		}

		static Call of(Class<?> targetClass, Method method) {
			Deferrable deferrable = AnnotatedElementUtils.findMergedAnnotation(method, Deferrable.class);
			if (deferrable == null) {
				throw new IllegalStateException("No @Deferrable on " + method);
			}
			String name = TaskName.of(targetClass, method, deferrable);
			if (deferrable.delayMillis() < 0 || deferrable.ttlMillis() < 0 || deferrable.maxAttempts() < 1) {
				throw new IllegalStateException("@Deferrable on " + method + " needs delayMillis >= 0, ttlMillis >= 0 "
						+ "and maxAttempts >= 1");
			}
			Kind kind = kind(method);
			if (deferrable.debounceMillis() > 0 && (kind != Kind.NOTHING || deferrable.delayMillis() > 0)) {
				throw new IllegalStateException("@Deferrable on " + method + " debounces, so it must return void (a "
						+ "skipped call has no task to follow) and have no delayMillis (debouncing chooses the delay)");
			}
			return new Call(name, kind, resultType(method), deferrable.delayMillis(), deferrable.ttlMillis(),
					deferrable.debounceMillis(), deferrable.debounceAlwaysDelay());
		}

		static Kind kind(Method method) {
			Class<?> type = method.getReturnType();
			if (type == void.class) {
				return Kind.NOTHING;
			}
			if (TaskHandle.class.equals(type)) {
				return Kind.HANDLE;
			}
			if (CompletableFuture.class.equals(type)) {
				return Kind.FUTURE;
			}
			throw new IllegalStateException("@Deferrable method " + method.getDeclaringClass().getName() + "."
					+ method.getName() + " returns " + type.getName()
					+ "; a task method returns void, TaskHandle<T> or CompletableFuture<T>, since the caller does "
					+ "not wait for it to run");
		}

		static Type resultType(Method method) {
			if (method.getReturnType() == void.class) {
				return Object.class;
			}
			ResolvableType generic = ResolvableType.forMethodReturnType(method).getGeneric(0);
			return (generic == ResolvableType.NONE) ? Object.class : generic.getType();
		}

	}

}

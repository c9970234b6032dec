package io.celeriac.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.StringUtils;

/**
 * Runs {@link Locked @Locked} methods while holding their lock. The key expression of
 * each method is parsed once.
 *
 * @author Celeriac team
 */
public class LockedMethodInterceptor implements MethodInterceptor {

	private final Supplier<DistributedLock> locks;

	private final Supplier<LockDefaults> defaults;

	private final SpelExpressionParser parser = new SpelExpressionParser();

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Map<Method, Expression> keys = new ConcurrentHashMap<>();

	/**
	 * Creates an interceptor that finds its lock and defaults on first use, so that
	 * advisors need not initialize them early.
	 * @param locks the lock to take
	 * @param defaults the defaults for what an annotation leaves out
	 */
	public LockedMethodInterceptor(Supplier<DistributedLock> locks, Supplier<LockDefaults> defaults) {
		this.locks = locks;
		this.defaults = defaults;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		Locked locked = AnnotatedElementUtils.findMergedAnnotation(specific, Locked.class);
		if (locked == null) {
			locked = AnnotatedElementUtils.findMergedAnnotation(method, Locked.class);
		}
		if (locked == null) {
			return invocation.proceed();
		}
		LockDefaults defaults = this.defaults.get();
		String key = key(locked, specific, invocation.getArguments(), target);
		Duration expires = duration(locked.expires(), defaults.expires(), "expires", specific);
		Duration timeout = duration(locked.timeout(), defaults.timeout(), "timeout", specific);
		try (HeldLock held = this.locks.get().acquire(key, expires, timeout)) {
			if (locked.watchdog() || defaults.watchdog()) {
				held.keepAlive();
			}
			return invocation.proceed();
		}
	}

	private String key(Locked locked, Method method, @Nullable Object[] arguments, @Nullable Object target) {
		if (!StringUtils.hasText(locked.key())) {
			return method.getDeclaringClass().getName() + "." + method.getName();
		}
		Expression expression = this.keys.computeIfAbsent(method,
				(ignored) -> this.parser.parseExpression(locked.key()));
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(new Root(method, arguments, target),
				method, arguments, this.parameterNames);
		Object value = expression.getValue(context);
		if (value == null || value.toString().isEmpty()) {
			throw new IllegalArgumentException("@Locked key '" + locked.key() + "' on " + method
					+ " evaluated to an empty key; every call needs a lock key");
		}
		return value.toString();
	}

	private static Duration duration(String text, Duration fallback, String attribute, Method method) {
		if (!StringUtils.hasText(text)) {
			return fallback;
		}
		try {
			return DurationFormatterUtils.detectAndParse(text.trim());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("@Locked(" + attribute + " = \"" + text + "\") on " + method
					+ " is not a duration such as 30s or PT30S", ex);
		}
	}

	/**
	 * The root object of {@link Locked#key()} expressions.
	 */
	public static final class Root {

		private final Method method;

		private final @Nullable Object[] args;

		private final @Nullable Object target;

		Root(Method method, @Nullable Object[] args, @Nullable Object target) {
			this.method = method;
			this.args = args;
			this.target = target;
		}

		/**
		 * Returns the called method.
		 * @return the method
		 */
		public Method getMethod() {
			return this.method;
		}

		/**
		 * Returns the call's arguments.
		 * @return the arguments
		 */
		public @Nullable Object[] getArgs() {
			return this.args;
		}

		/**
		 * Returns the bean whose method is called.
		 * @return the bean
		 */
		public @Nullable Object getTarget() {
			return this.target;
		}

	}

}

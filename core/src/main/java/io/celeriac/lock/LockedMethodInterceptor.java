package io.celeriac.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.function.Supplier;

import io.celeriac.aop.AnnotatedMethods;
import io.celeriac.aop.DurationAttribute;
import io.celeriac.aop.KeyExpression;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Runs {@link Locked @Locked} methods while holding their lock. The annotation of each
 * method is read, and its key expression and durations parsed, once.
 *
 * @author Celeriac team
 */
public class LockedMethodInterceptor implements MethodInterceptor {

	private final Supplier<DistributedLock> locks;

	private final Supplier<LockDefaults> defaults;

	private final AnnotatedMethods<Locked, LockedMethod> methods = new AnnotatedMethods<>(Locked.class,
			LockedMethod::of);

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
		LockedMethod locked = this.methods.find(invocation);
		if (locked == null) {
			return invocation.proceed();
		}
		LockDefaults defaults = this.defaults.get();
		String key = locked.key(invocation);
		Duration expires = (locked.expires() != null) ? locked.expires() : defaults.expires();
		Duration timeout = (locked.timeout() != null) ? locked.timeout() : defaults.timeout();
		try (HeldLock held = this.locks.get().acquire(key, expires, timeout)) {
			if (locked.watchdog() || defaults.watchdog()) {
				held.keepAlive();
			}
			return invocation.proceed();
		}
	}

	/**
	 * What a method's {@code @Locked} says, parsed.
	 *
	 * @param fixedKey the key of every call when the annotation gives no expression
	 * @param keyExpression the key expression, if any
	 * @param expires the lock's expiry, or {@code null} for the default
	 * @param timeout how long to wait, or {@code null} for the default
	 * @param watchdog whether a watchdog extends the lock
	 */
	private record LockedMethod(String fixedKey, @Nullable KeyExpression keyExpression, @Nullable Duration expires,
			@Nullable Duration timeout, boolean watchdog) {

		static LockedMethod of(Locked locked, Method method) {
			KeyExpression expression = StringUtils.hasText(locked.key())
					? new KeyExpression(locked.key(), method, "@Locked key '" + locked.key() + "'") : null;
			return new LockedMethod(method.getDeclaringClass().getName() + "." + method.getName(), expression,
					DurationAttribute.parse(locked.expires(), "@Locked(expires)", method),
					DurationAttribute.parse(locked.timeout(), "@Locked(timeout)", method), locked.watchdog());
		}

		String key(MethodInvocation invocation) {
			return (this.keyExpression != null)
					? this.keyExpression.evaluate(invocation.getArguments(), invocation.getThis()) : this.fixedKey;
		}

	}

}

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.StringUtils;

/**
 * Runs {@link Locked @Locked} methods while holding their lock. The annotation of each
 * method is read, and its key expression and durations parsed, once. A release that fails
 * because the store cannot be reached is logged and does not replace the method's
 * outcome: the lock expires by itself.
 *
 * @author Celeriac team
 */
public class LockedMethodInterceptor implements MethodInterceptor {

	private final Logger logger = LoggerFactory.getLogger(LockedMethodInterceptor.class);

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
		HeldLock held = this.locks.get().acquire(key, expires, timeout);
		try {
			if (locked.watchdog() || defaults.watchdog()) {
				held.keepAlive();
			}
			return invocation.proceed();
		}
		finally {
			release(held);
		}
	}

	private void release(HeldLock held) {
		try {
			held.release();
		}
		catch (LockUnavailableException ex) {
			// the method ran: its outcome stands, and the lock expires by itself
			this.logger.warn("Could not release lock '{}'; it expires by itself ({})", held.key(), ex.getMessage());
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

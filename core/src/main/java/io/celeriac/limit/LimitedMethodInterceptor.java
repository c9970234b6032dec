package io.celeriac.limit;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.UUID;
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
 * Runs {@link Limited @Limited} methods while holding a place in their limiter. The
 * annotation of each method is read, and its key expression and timeout parsed, once. A
 * release that fails because the store cannot be reached is logged and does not replace
 * the method's outcome: the place expires by itself.
 *
 * @author Celeriac team
 */
public class LimitedMethodInterceptor implements MethodInterceptor {

	private final Logger logger = LoggerFactory.getLogger(LimitedMethodInterceptor.class);

	private final Supplier<Limiters> limiters;

	private final AnnotatedMethods<Limited, LimitedMethod> methods = new AnnotatedMethods<>(Limited.class,
			LimitedMethod::of);

	/**
	 * Creates an interceptor that finds its limiters on first use, so that advisors need
	 * not initialize them early.
	 * @param limiters the application's limiters
	 */
	public LimitedMethodInterceptor(Supplier<Limiters> limiters) {
		this.limiters = limiters;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		LimitedMethod limited = this.methods.find(invocation);
		if (limited == null) {
			return invocation.proceed();
		}
		Limiter limiter = this.limiters.get().limiter(limited.limiter());
		Permit permit = limiter.acquire(limited.key(invocation), limited.timeout());
		try {
			return invocation.proceed();
		}
		finally {
			release(permit);
		}
	}

	private void release(Permit permit) {
		try {
			permit.release();
		}
		catch (LimiterUnavailableException ex) {
			// the method ran: its outcome stands, and the place expires by itself
			this.logger.warn("Could not give back a place of limiter '{}'; it expires by itself ({})", permit.limiter(),
					ex.getMessage());
		}
	}

	/**
	 * What a method's {@code @Limited} says, parsed.
	 *
	 * @param limiter the limiter's name
	 * @param keyExpression the holder key expression; without one each call is its own
	 * holder
	 * @param timeout how long to wait for a place
	 */
	private record LimitedMethod(String limiter, @Nullable KeyExpression keyExpression, Duration timeout) {

		static LimitedMethod of(Limited limited, Method method) {
			KeyExpression expression = StringUtils.hasText(limited.key())
					? new KeyExpression(limited.key(), method, "@Limited key '" + limited.key() + "'") : null;
			Duration timeout = DurationAttribute.parse(limited.timeout(), "@Limited(timeout)", method);
			return new LimitedMethod(limited.value(), expression, (timeout != null) ? timeout : Duration.ZERO);
		}

		String key(MethodInvocation invocation) {
			return (this.keyExpression != null)
					? this.keyExpression.evaluate(invocation.getArguments(), invocation.getThis())
					: UUID.randomUUID().toString();
		}

	}

}

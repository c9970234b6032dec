package io.celeriac.limit;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
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
 * Runs {@link Limited @Limited} methods while holding a place in their limiter.
 *
 * @author Celeriac team
 */
public class LimitedMethodInterceptor implements MethodInterceptor {

	private final Supplier<Limiters> limiters;

	private final SpelExpressionParser parser = new SpelExpressionParser();

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Map<Method, Expression> keys = new ConcurrentHashMap<>();

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
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		Limited limited = AnnotatedElementUtils.findMergedAnnotation(specific, Limited.class);
		if (limited == null) {
			limited = AnnotatedElementUtils.findMergedAnnotation(method, Limited.class);
		}
		if (limited == null) {
			return invocation.proceed();
		}
		Limiter limiter = this.limiters.get().limiter(limited.value());
		String key = key(limited, specific, invocation.getArguments());
		Duration timeout = timeout(limited, specific);
		try (Permit permit = limiter.acquire(key, timeout)) {
			return invocation.proceed();
		}
	}

	private String key(Limited limited, Method method, @Nullable Object[] arguments) {
		if (!StringUtils.hasText(limited.key())) {
			return UUID.randomUUID().toString();
		}
		Expression expression = this.keys.computeIfAbsent(method,
				(ignored) -> this.parser.parseExpression(limited.key()));
		Object value = expression
			.getValue(new MethodBasedEvaluationContext(method, method, arguments, this.parameterNames));
		if (value == null || value.toString().isEmpty()) {
			throw new IllegalArgumentException("@Limited key '" + limited.key() + "' on " + method
					+ " evaluated to an empty key; every call needs a holder key");
		}
		return value.toString();
	}

	private static Duration timeout(Limited limited, Method method) {
		if (!StringUtils.hasText(limited.timeout())) {
			return Duration.ZERO;
		}
		try {
			return DurationFormatterUtils.detectAndParse(limited.timeout().trim());
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("@Limited(timeout = \"" + limited.timeout() + "\") on " + method
					+ " is not a duration such as 2s or PT2S", ex);
		}
	}

}

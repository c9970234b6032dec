package io.celeriac.aop;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * A SpEL key expression of a method annotation, parsed once and evaluated on each call
 * over the call: parameters by name ({@code #invoiceId}) or position ({@code #p0}),
 * {@code #root.method}, {@code #root.args} and {@code #root.target}.
 *
 * @author Celeriac team
 */
public final class KeyExpression {

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private final Expression expression;

	private final Method method;

	private final String description;

	/**
	 * Parses an expression.
	 * @param source the expression
	 * @param method the annotated method
	 * @param description what the key is, for errors, e.g. {@code @Locked key '#id'}
	 * @throws org.springframework.expression.ParseException if the expression is invalid
	 */
	public KeyExpression(String source, Method method, String description) {
		this.expression = new SpelExpressionParser().parseExpression(source);
		this.method = method;
		this.description = description;
	}

	/**
	 * Evaluates the expression for one call.
	 * @param arguments the call's arguments
	 * @param target the bean called
	 * @return the key, never empty
	 * @throws IllegalArgumentException if the key is null or empty
	 */
	public String evaluate(@Nullable Object[] arguments, @Nullable Object target) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
				new Root(this.method, arguments, target), this.method, arguments, PARAMETER_NAMES);
		Object value = this.expression.getValue(context);
		if (value == null || value.toString().isEmpty()) {
			throw new IllegalArgumentException(
					this.description + " on " + this.method + " evaluated to an empty key; every call needs a key");
		}
		return value.toString();
	}

	/**
	 * The root object of key expressions.
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

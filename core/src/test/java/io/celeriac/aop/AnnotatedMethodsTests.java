package io.celeriac.aop;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AnnotatedMethods}, {@link KeyExpression} and {@link DurationAttribute}
 * through a real AOP proxy.
 */
class AnnotatedMethodsTests {

	@Test
	void findsTheAnnotationOnTheImplementationOfAnInterfaceMethodAndBuildsItsSettingsOnce() {
		AtomicInteger built = new AtomicInteger();
		AnnotatedMethods<Keyed, String> methods = new AnnotatedMethods<>(Keyed.class, (keyed, method) -> {
			built.incrementAndGet();
			return keyed.value() + "@" + method.getDeclaringClass().getSimpleName();
		});
		Calls calls = proxy(new AnnotatedCalls(), (invocation) -> methods.find(invocation));
		assertThat(calls.annotated("a")).isEqualTo("#name@AnnotatedCalls");
		assertThat(calls.annotated("b")).isEqualTo("#name@AnnotatedCalls");
		assertThat(calls.plain()).isNull();
		assertThat(built).hasValue(1);
	}

	@Test
	void settingsThatFailToBuildFailEveryCallAndAreNotCached() {
		AtomicInteger built = new AtomicInteger();
		AnnotatedMethods<Keyed, Duration> methods = new AnnotatedMethods<>(Keyed.class, (keyed, method) -> {
			built.incrementAndGet();
			return DurationAttribute.parse(keyed.timeout(), "@Keyed(timeout)", method);
		});
		Calls calls = proxy(new BadDurationCalls(), (invocation) -> methods.find(invocation));
		for (int i = 0; i < 2; i++) {
			assertThatIllegalArgumentException().isThrownBy(() -> calls.annotated("x"))
				.withMessageContaining("@Keyed(timeout) = \"soon\"")
				.withMessageContaining("annotated")
				.withMessageContaining("such as 30s");
		}
		assertThat(built).hasValue(2);
	}

	@Test
	void keyExpressionsSeeParametersByNameAndPositionAndTheRoot() throws Exception {
		Method method = AnnotatedCalls.class.getMethod("annotated", String.class);
		AnnotatedCalls target = new AnnotatedCalls();
		Object[] arguments = { "invoice-7" };
		assertThat(new KeyExpression("'n:' + #name", method, "test").evaluate(arguments, target))
			.isEqualTo("n:invoice-7");
		assertThat(new KeyExpression("#p0", method, "test").evaluate(arguments, target)).isEqualTo("invoice-7");
		assertThat(new KeyExpression("#root.method.name + ':' + #root.target.class.simpleName + ':' + #root.args[0]",
				method, "test")
			.evaluate(arguments, target)).isEqualTo("annotated:AnnotatedCalls:invoice-7");
	}

	@Test
	void anEmptyKeyIsAnError() throws Exception {
		Method method = AnnotatedCalls.class.getMethod("annotated", String.class);
		KeyExpression key = new KeyExpression("#name", method, "@Keyed key '#name'");
		assertThatIllegalArgumentException().isThrownBy(() -> key.evaluate(new Object[] { "" }, null))
			.withMessageContaining("@Keyed key '#name'")
			.withMessageContaining("empty key");
		assertThatIllegalArgumentException().isThrownBy(() -> key.evaluate(new Object[] { null }, null))
			.withMessageContaining("empty key");
	}

	@Test
	void anEmptyDurationAttributeMeansTheDefault() throws Exception {
		Method method = Calls.class.getMethod("plain");
		assertThat(DurationAttribute.parse(" ", "@Keyed(timeout)", method)).isNull();
		assertThat(DurationAttribute.parse("2m", "@Keyed(timeout)", method)).isEqualTo(Duration.ofMinutes(2));
		assertThat(DurationAttribute.parse("PT0.5S", "@Keyed(timeout)", method)).isEqualTo(Duration.ofMillis(500));
	}

	private static Calls proxy(Calls target, MethodInterceptor interceptor) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.addAdvice(interceptor);
		return (Calls) factory.getProxy();
	}

	@Retention(RetentionPolicy.RUNTIME)
	@interface Keyed {

		String value() default "";

		String timeout() default "";

	}

	interface Calls {

		Object annotated(String name);

		Object plain();

	}

	static class AnnotatedCalls implements Calls {

		@Override
		@Keyed("#name")
		public Object annotated(String name) {
			return "called";
		}

		@Override
		public Object plain() {
			return "called";
		}

	}

	static class BadDurationCalls implements Calls {

		@Override
		@Keyed(timeout = "soon")
		public Object annotated(String name) {
			return "called";
		}

		@Override
		public Object plain() {
			return "called";
		}

	}

}

package io.celeriac.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The settings an interceptor derives from its annotation on an intercepted method. The
 * annotation is looked up, and its settings (parsed expressions, durations) built, once
 * per method and target class rather than on every call.
 *
 * @param <A> the annotation
 * @param <S> the settings built from it
 * @author Celeriac team
 */
public final class AnnotatedMethods<A extends Annotation, S> {

	private final Class<A> annotationType;

	private final BiFunction<A, Method, S> settings;

	private final Map<MethodClassKey, Optional<S>> resolved = new ConcurrentHashMap<>();

	/**
	 * Creates an instance for one annotation.
	 * @param annotationType the annotation to look for, on the most specific method first
	 * @param settings builds the settings from the annotation and the most specific
	 * method; an invalid annotation throws from here, on the method's first call
	 */
	public AnnotatedMethods(Class<A> annotationType, BiFunction<A, Method, S> settings) {
		this.annotationType = annotationType;
		this.settings = settings;
	}

	/**
	 * Returns the settings of the method an invocation calls.
	 * @param invocation the invocation
	 * @return the settings, or {@code null} when the method does not carry the annotation
	 */
	public @Nullable S find(MethodInvocation invocation) {
		Method method = invocation.getMethod();
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
		MethodClassKey key = new MethodClassKey(method, targetClass);
		Optional<S> found = this.resolved.get(key);
		if (found == null) {
			// not computeIfAbsent: building may throw, and then nothing is cached
			found = resolve(method, targetClass);
			this.resolved.putIfAbsent(key, found);
		}
		return found.orElse(null);
	}

	private Optional<S> resolve(Method method, Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		A annotation = AnnotatedElementUtils.findMergedAnnotation(specific, this.annotationType);
		if (annotation == null) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(method, this.annotationType);
		}
		return (annotation != null) ? Optional.of(this.settings.apply(annotation, specific)) : Optional.empty();
	}

}

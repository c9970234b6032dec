package io.celeriac.cache;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import io.celeriac.task.TaskHandle;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Runs {@link CacheRegion @CacheRegion} methods through {@link CacheRegions} and
 * invalidates entries after {@link CacheRegionEvict @CacheRegionEvict} methods return. On
 * a task method that returns a {@link TaskHandle} (which runs on its worker), the
 * handle's value is what is cached.
 *
 * @author Celeriac team
 */
public class CacheRegionInterceptor implements MethodInterceptor {

	private final Supplier<CacheRegions> regions;

	private final Map<MethodClassKey, Operations> operations = new ConcurrentHashMap<>();

	/**
	 * Creates an interceptor.
	 * @param regions the cache regions, looked up on first use so that the interceptor
	 * can be created before them
	 */
	public CacheRegionInterceptor(Supplier<CacheRegions> regions) {
		this.regions = regions;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target)
				: invocation.getMethod().getDeclaringClass();
		CacheRegions regions = this.regions.get();
		Operations operations = this.operations.computeIfAbsent(new MethodClassKey(invocation.getMethod(), targetClass),
				(key) -> Operations.of(AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass), targetClass,
						regions));
		Object result;
		if (operations.cached == null) {
			result = invocation.proceed();
		}
		else if (operations.taskHandle) {
			// a task method run by its worker: its value is cached, not the handle
			result = TaskHandle.completed(regions.load(operations.cached.value(), operations.namespace,
					invocation.getArguments(), operations.valueType, () -> valueOf(invocation.proceed())));
		}
		else {
			result = regions.load(operations.cached.value(), operations.namespace, invocation.getArguments(),
					operations.valueType, invocation::proceed);
		}
		CacheRegionEvict evict = operations.evict;
		if (evict != null) {
			if (!StringUtils.hasText(evict.namespace())) {
				regions.invalidateRegion(evict.value());
			}
			else if (evict.allEntries()) {
				regions.invalidateFunction(evict.value(), evict.namespace());
			}
			else {
				regions.invalidateFunction(evict.value(), evict.namespace(), invocation.getArguments());
			}
		}
		return result;
	}

	private static @Nullable Object valueOf(@Nullable Object handle) throws Throwable {
		if (handle == null) {
			return null;
		}
		try {
			return ((TaskHandle<?>) handle).toFuture().join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() != null) ? ex.getCause() : ex;
		}
	}

	/**
	 * What to do around one method.
	 *
	 * @param taskHandle whether the method is a task method returning a
	 * {@link TaskHandle}, whose value is cached
	 */
	private record Operations(@Nullable CacheRegion cached, String namespace, @Nullable JavaType valueType,
			@Nullable CacheRegionEvict evict, boolean taskHandle) {

		static Operations of(Method method, Class<?> targetClass, CacheRegions regions) {
			CacheRegion cached = AnnotatedElementUtils.findMergedAnnotation(method, CacheRegion.class);
			CacheRegionEvict evict = AnnotatedElementUtils.findMergedAnnotation(method, CacheRegionEvict.class);
			if (cached == null) {
				return new Operations(null, "", null, evict, false);
			}
			Class<?> returnType = method.getReturnType();
			if (returnType == void.class || Future.class.isAssignableFrom(returnType)
					|| CompletionStage.class.isAssignableFrom(returnType)
					|| ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null) {
				throw new CacheConfigurationException("@CacheRegion method " + method
						+ " must return a value synchronously; it returns " + returnType.getName());
			}
			regions.region(cached.value());
			ResolvableType type = ResolvableType.forMethodReturnType(method, targetClass);
			boolean taskHandle = TaskHandle.class.equals(returnType);
			if (taskHandle) {
				type = type.getGeneric(0);
			}
			JavaType valueType = regions.valueType((type != ResolvableType.NONE) ? type.getType() : Object.class);
			return new Operations(cached, CacheRegionMethod.of(method).namespace(), valueType, evict, taskHandle);
		}

	}

}

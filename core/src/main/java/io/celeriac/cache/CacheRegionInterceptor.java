package io.celeriac.cache;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;

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
 * invalidates entries after {@link CacheRegionEvict @CacheRegionEvict} methods return.
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
		Object result = (operations.cached != null) ? regions.load(operations.cached.value(), operations.namespace,
				invocation.getArguments(), operations.valueType, invocation::proceed) : invocation.proceed();
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

	private record Operations(@Nullable CacheRegion cached, String namespace, @Nullable JavaType valueType,
			@Nullable CacheRegionEvict evict) {

		static Operations of(Method method, Class<?> targetClass, CacheRegions regions) {
			CacheRegion cached = AnnotatedElementUtils.findMergedAnnotation(method, CacheRegion.class);
			CacheRegionEvict evict = AnnotatedElementUtils.findMergedAnnotation(method, CacheRegionEvict.class);
			if (cached == null) {
				return new Operations(null, "", null, evict);
			}
			Class<?> returnType = method.getReturnType();
			if (returnType == void.class || Future.class.isAssignableFrom(returnType)
					|| CompletionStage.class.isAssignableFrom(returnType)
					|| ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null) {
				throw new CacheConfigurationException("@CacheRegion method " + method
						+ " must return a value synchronously; it returns " + returnType.getName());
			}
			regions.region(cached.value());
			JavaType valueType = regions.valueType(ResolvableType.forMethodReturnType(method, targetClass).getType());
			return new Operations(cached, CacheRegions.namespaceOf(method), valueType, evict);
		}

	}

}

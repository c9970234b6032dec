package io.celeriac.cache.spring;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import io.celeriac.cache.CacheConfigurationException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CachePutOperation;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;

/**
 * Resolves the caches of an annotated method to cache regions that read values back as
 * the method's generic return type (the content of an {@link Optional}), so that a
 * {@code @Cacheable} method returning {@code List<Customer>} gets a list of
 * {@code Customer} from the cache, as a {@code @CacheRegion} method does.
 *
 * @author Celeriac team
 */
public class CacheRegionCacheResolver implements CacheResolver {

	private final CacheRegionCacheManager cacheManager;

	private final Map<OperationKey, List<CacheRegionCache>> caches = new ConcurrentHashMap<>();

	/**
	 * Creates a resolver.
	 * @param cacheManager the cache manager of the regions
	 */
	public CacheRegionCacheResolver(CacheRegionCacheManager cacheManager) {
		this.cacheManager = cacheManager;
	}

	@Override
	public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
		Method method = context.getMethod();
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(context.getTarget());
		boolean storesValues = context.getOperation() instanceof CacheableOperation
				|| context.getOperation() instanceof CachePutOperation;
		OperationKey key = new OperationKey(new MethodClassKey(method, targetClass),
				context.getOperation().getCacheNames(), storesValues);
		List<CacheRegionCache> resolved = this.caches.get(key);
		if (resolved == null) {
			@Nullable JavaType valueType = storesValues ? valueType(method, targetClass) : null;
			resolved = key.cacheNames()
				.stream()
				.map((name) -> (valueType != null) ? this.cacheManager.getCache(name, valueType)
						: this.cacheManager.getCache(name))
				.toList();
			this.caches.put(key, resolved);
		}
		return resolved;
	}

	private JavaType valueType(Method method, Class<?> targetClass) {
		Class<?> returnType = method.getReturnType();
		if (Future.class.isAssignableFrom(returnType) || CompletionStage.class.isAssignableFrom(returnType)
				|| ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null) {
			throw new CacheConfigurationException("Cached method " + method + " returns " + returnType.getName()
					+ "; cache regions cache values a method returns synchronously");
		}
		ResolvableType type = ResolvableType.forMethodReturnType(method, targetClass);
		if (Optional.class == type.toClass()) {
			type = type.getGeneric(0);
		}
		return this.cacheManager.regions().valueType(type.getType());
	}

	private record OperationKey(MethodClassKey method, Set<String> cacheNames, boolean storesValues) {

	}

}

package io.celeriac.cache;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * Invalidates cache region entries. Region and function invalidation take constant time:
 * they record an invalidation time, and entries created before it are read as absent.
 *
 * @author Celeriac team
 */
public interface CacheInvalidation {

	/**
	 * Invalidates every entry of a region.
	 * @param region the region's name
	 */
	void invalidateRegion(String region);

	/**
	 * Invalidates a cached function for all its arguments.
	 * @param region the region's name
	 * @param namespace the function's namespace
	 */
	void invalidateFunction(String region, String namespace);

	/**
	 * Invalidates a cached function for the given arguments only.
	 * @param region the region's name
	 * @param namespace the function's namespace
	 * @param arguments the arguments the function was called with
	 */
	void invalidateFunction(String region, String namespace, @Nullable Object... arguments);

	/**
	 * Invalidates a {@link CacheRegion @CacheRegion} method for all its arguments.
	 * @param method the annotated method
	 * @throws CacheConfigurationException if the method has no {@code @CacheRegion}
	 */
	void invalidateFunction(Method method);

	/**
	 * Invalidates a {@link CacheRegion @CacheRegion} method for the given arguments only.
	 * @param method the annotated method
	 * @param arguments the arguments the method was called with
	 * @throws CacheConfigurationException if the method has no {@code @CacheRegion}
	 */
	void invalidateFunction(Method method, @Nullable Object... arguments);

}

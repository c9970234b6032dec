package io.celeriac.cache.spring;

import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.cache.CacheRegions;
import tools.jackson.databind.JavaType;

import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches are the configured cache regions:
 * {@code @Cacheable("short_term")} caches in the region {@code short_term}, with its
 * expiry, store, herd protection and statistics. A cache name that is not a configured
 * region is an error naming the property to set, as it is for {@code @CacheRegion}.
 * <p>
 * Spring's cache abstraction does not tell a cache what type its values have. Caches
 * returned by {@link #getCache(String)} read JSON values back in their natural Java form
 * (maps, lists, strings, numbers, booleans); {@link CacheRegionCacheResolver} hands
 * annotated methods caches that read values back as the method's generic return type.
 *
 * @author Celeriac team
 */
public class CacheRegionCacheManager implements CacheManager {

	private final CacheRegions regions;

	private final boolean allowNullValues;

	private final Map<String, CacheRegionCache> caches = new ConcurrentHashMap<>();

	/**
	 * Creates a cache manager on the given regions.
	 * @param regions the cache regions
	 * @param allowNullValues whether {@code null} values are cached (Spring's default is
	 * {@code true}); when {@code false}, putting {@code null} is an error
	 */
	public CacheRegionCacheManager(CacheRegions regions, boolean allowNullValues) {
		this.regions = regions;
		this.allowNullValues = allowNullValues;
	}

	/**
	 * Returns the cache of a region.
	 * @param name the region's name
	 * @return its cache
	 * @throws CacheConfigurationException if no region of that name is configured
	 */
	@Override
	public CacheRegionCache getCache(String name) {
		return this.caches.computeIfAbsent(name, (region) -> new CacheRegionCache(region, this.regions,
				this.regions.valueType(Object.class), this.allowNullValues));
	}

	/**
	 * Returns the cache of a region, reading values back as the given type.
	 * @param name the region's name
	 * @param valueType the type of its values
	 * @return its cache
	 * @throws CacheConfigurationException if no region of that name is configured
	 */
	public CacheRegionCache getCache(String name, Type valueType) {
		return getCache(name, this.regions.valueType(valueType));
	}

	/**
	 * Returns the cache of a region, reading values back as the given type.
	 * @param name the region's name
	 * @param valueType the type of its values
	 * @return its cache
	 * @throws CacheConfigurationException if no region of that name is configured
	 */
	public CacheRegionCache getCache(String name, JavaType valueType) {
		CacheRegionCache cache = getCache(name);
		return cache.valueType().equals(valueType) ? cache : cache.withValueType(valueType);
	}

	/**
	 * Returns the names of the configured regions.
	 * @return the names, sorted
	 */
	@Override
	public Collection<String> getCacheNames() {
		return this.regions.settings().regions().keySet().stream().sorted().toList();
	}

	/**
	 * Returns the cache regions behind the caches.
	 * @return the regions
	 */
	public CacheRegions regions() {
		return this.regions;
	}

}

package io.celeriac.cache.spring;

import java.lang.reflect.Field;
import java.util.concurrent.Callable;

import io.celeriac.cache.CacheRegions;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.support.SimpleValueWrapper;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A Spring {@link Cache} that is a cache region: entries live in the region's store as
 * JSON under the namespace {@value #NAMESPACE}, expire with the region, and count in its
 * statistics. {@link #get(Object, Callable)} (what {@code @Cacheable(sync = true)} calls)
 * goes through {@link CacheRegions#load}, so one caller across every process computes a
 * missing or expired value while the others wait for it or get the stale value;
 * {@link #clear()} is the region's constant-time invalidation.
 * <p>
 * A key renders into the region's key space as a JSON array of arguments, the way
 * {@code @CacheRegion} renders a call's arguments: a {@link SimpleKey} as its parameters
 * ({@code ["acme",2024]}, {@code []} for none), any other key as a one-element array
 * ({@code [7]}).
 *
 * @author Celeriac team
 */
public class CacheRegionCache implements Cache {

	/**
	 * The namespace of every entry Spring's cache abstraction puts in a region.
	 */
	public static final String NAMESPACE = "spring";

	private static final Field SIMPLE_KEY_PARAMS = simpleKeyParams();

	/**
	 * The last miss of this thread: Spring puts the value of a missed key on the thread
	 * that missed it, and the entry is stamped with the time of the miss, as
	 * {@link CacheRegions#load} stamps an entry with the time its computation started.
	 */
	private static final ThreadLocal<Miss> MISSES = new ThreadLocal<>();

	private final String name;

	private final CacheRegions regions;

	private final JavaType valueType;

	private final boolean allowNullValues;

	/**
	 * Creates the cache of a region.
	 * @param name the region's name
	 * @param regions the cache regions
	 * @param valueType the type values are read back as
	 * @param allowNullValues whether {@code null} values are cached
	 * @throws io.celeriac.cache.CacheConfigurationException if the region is not
	 * configured
	 */
	public CacheRegionCache(String name, CacheRegions regions, JavaType valueType, boolean allowNullValues) {
		regions.region(name);
		this.name = name;
		this.regions = regions;
		this.valueType = valueType;
		this.allowNullValues = allowNullValues;
	}

	private static Field simpleKeyParams() {
		Field field = ReflectionUtils.findField(SimpleKey.class, "params", Object[].class);
		Assert.state(field != null, "SimpleKey has no 'params' field to render cache keys from");
		ReflectionUtils.makeAccessible(field);
		return field;
	}

	/**
	 * Returns a view of this cache that reads values back as another type, e.g. the
	 * generic return type of the cached method.
	 * @param valueType the type
	 * @return the view, on the same entries
	 */
	public CacheRegionCache withValueType(JavaType valueType) {
		return new CacheRegionCache(this.name, this.regions, valueType, this.allowNullValues);
	}

	/**
	 * Returns the type this cache reads values back as.
	 * @return the type
	 */
	public JavaType valueType() {
		return this.valueType;
	}

	/**
	 * Returns whether this cache caches {@code null} values.
	 * @return whether it does
	 */
	public boolean isAllowNullValues() {
		return this.allowNullValues;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public CacheRegions getNativeCache() {
		return this.regions;
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		CacheRegions.Read read = read(key, this.valueType);
		if (!read.found() || (read.value() == null && !this.allowNullValues)) {
			return null;
		}
		return new SimpleValueWrapper(read.value());
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		CacheRegions.Read read = read(key, (type != null) ? this.regions.valueType(type) : this.valueType);
		if (!read.found()) {
			return null;
		}
		Object value = read.value();
		if (value != null && type != null && !ClassUtils.resolvePrimitiveIfNecessary(type).isInstance(value)) {
			throw new IllegalStateException(
					"Cached value is not of required type [" + type.getName() + "]: " + value.getClass().getName());
		}
		return (T) value;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		try {
			return (T) this.regions.load(this.name, NAMESPACE, arguments(key), this.valueType, () -> {
				T value;
				try {
					value = valueLoader.call();
				}
				catch (Throwable ex) {
					throw new ValueRetrievalException(key, valueLoader, ex);
				}
				if (value == null && !this.allowNullValues) {
					throw nullNotAllowed();
				}
				return value;
			});
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (value == null && !this.allowNullValues) {
			throw nullNotAllowed();
		}
		Miss miss = MISSES.get();
		long startedAt = CacheRegions.Read.UNKNOWN;
		if (miss != null && miss.region().equals(this.name) && miss.key().equals(key)) {
			MISSES.remove();
			startedAt = miss.startedAt();
		}
		this.regions.put(this.name, NAMESPACE, arguments(key), value, startedAt);
	}

	private CacheRegions.Read read(Object key, JavaType readAs) {
		CacheRegions.Read read = this.regions.find(this.name, NAMESPACE, arguments(key), readAs);
		if (read.found()) {
			MISSES.remove();
		}
		else {
			MISSES.set(new Miss(this.name, key, read.startedAt()));
		}
		return read;
	}

	@Override
	public void evict(Object key) {
		this.regions.invalidateFunction(this.name, NAMESPACE, arguments(key));
	}

	/**
	 * Invalidates the whole region in constant time, including the entries that
	 * {@code @CacheRegion} methods keep in it.
	 */
	@Override
	public void clear() {
		this.regions.invalidateRegion(this.name);
	}

	private IllegalArgumentException nullNotAllowed() {
		return new IllegalArgumentException("Cache '" + this.name
				+ "' does not cache null values (celeriac.cache.spring-cache.allow-null-values=false) but null was "
				+ "provided; add unless = \"#result == null\" to the annotation, or allow null values");
	}

	/**
	 * Returns the arguments a Spring cache key renders from: a {@link SimpleKey}'s
	 * parameters, or else the key itself.
	 * @param key the key
	 * @return the arguments
	 */
	static @Nullable Object[] arguments(Object key) {
		if (key instanceof SimpleKey) {
			return (@Nullable Object[]) ReflectionUtils.getField(SIMPLE_KEY_PARAMS, key);
		}
		return new Object[] { key };
	}

	private record Miss(String region, Object key, long startedAt) {

	}

	@Override
	public String toString() {
		return "CacheRegionCache '" + this.name + "' of " + this.valueType;
	}

}

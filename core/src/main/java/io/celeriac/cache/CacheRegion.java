package io.celeriac.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the result of a bean method in a cache region, as JSON, under a key made from
 * the method's arguments (never from the bean instance). The region's expiry comes from
 * {@code celeriac.cache.regions.<name>.expires}. A {@code null} result is cached too.
 * When an entry has expired, one caller regenerates it while the others get the stale
 * value; on a cold miss, the others wait (bounded) for the first caller's value.
 * <pre class="code">
 * &#64;CacheRegion("short_term")
 * public Report load(String customer, int year) { ... }
 * </pre>
 *
 * @author Celeriac team
 * @see CacheRegionEvict
 * @see CacheInvalidation
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CacheRegion {

	/**
	 * The name of the region, as configured under {@code celeriac.cache.regions}.
	 * @return the region's name
	 */
	String value();

	/**
	 * Distinguishes this method's entries from other methods' in the same region. When
	 * empty, the fully qualified name of the declaring class, a dot and the method's name
	 * (followed by its parameter types in parentheses when the name is overloaded).
	 * @return the namespace, or empty to derive it
	 */
	String namespace() default "";

}

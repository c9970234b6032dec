package io.celeriac.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Invalidates cache region entries once the annotated method has returned normally:
 * <ul>
 * <li>with no namespace, the whole region;</li>
 * <li>with a namespace and {@code allEntries = true}, every entry of that namespace (a
 * cached function, for all its arguments);</li>
 * <li>with a namespace alone, the one entry whose arguments are the annotated method's
 * arguments.</li>
 * </ul>
 * <pre class="code">
 * &#64;CacheRegionEvict(value = "short_term", namespace = "squares")
 * public void forget(int n) { ... }
 * </pre>
 *
 * @author Celeriac team
 * @see CacheInvalidation
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CacheRegionEvict {

	/**
	 * The name of the region.
	 * @return the region's name
	 */
	String value();

	/**
	 * The namespace of the cached function to invalidate; empty invalidates the whole
	 * region.
	 * @return the namespace, or empty
	 */
	String namespace() default "";

	/**
	 * Whether every entry of the namespace is invalidated rather than only the entry for
	 * the annotated method's arguments.
	 * @return {@code true} to invalidate the function for all its arguments
	 */
	boolean allEntries() default false;

}

package io.celeriac.limit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method only while holding a place in a configured {@link Limiter}, so that
 * at most the limiter's {@code limit} calls run at once across every process. The place
 * is freed when the method returns or throws. A caller that finds no place within the
 * timeout gets a {@link PermitTimeoutException} and the method does not run.
 *
 * <pre class="code">
 * &#064;Limited(value = "partner-api", timeout = "2s")
 * public Quote quote(String sku) { ... }
 * </pre>
 *
 * @author Celeriac team
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Limited {

	/**
	 * The name of the limiter, configured under {@code celeriac.limiter.limiters.<name>}.
	 * @return the limiter's name
	 */
	String value();

	/**
	 * A SpEL expression naming the holder, evaluated against the call like
	 * {@code @Locked} keys; one key holds at most one place. When empty, every call is a
	 * holder of its own.
	 * @return the holder key expression
	 */
	String key() default "";

	/**
	 * How long to wait for a place, e.g. {@code 2s}. Empty or {@code 0s} means a single
	 * attempt.
	 * @return the timeout
	 */
	String timeout() default "";

}

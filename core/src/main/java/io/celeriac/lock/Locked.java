package io.celeriac.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method while holding a {@link DistributedLock}, so that one call at a time,
 * across every process, runs it for a given key. The lock is taken before the method
 * starts (and before any transaction the method opens) and released when it returns or
 * throws. A caller that cannot get the lock within the timeout gets a
 * {@link LockTimeoutException} and the method does not run.
 *
 * <pre class="code">
 * &#064;Locked(key = "'invoice:' + #invoiceId", expires = "2m", watchdog = true)
 * public void settle(long invoiceId) { ... }
 * </pre>
 *
 * @author Celeriac team
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Locked {

	/**
	 * A SpEL expression for the lock's key, evaluated against the call: parameters by
	 * name ({@code #invoiceId}) or position ({@code #p0}), {@code #root.method},
	 * {@code #root.target}. String literals need quotes ({@code "'nightly-report'"}).
	 * When empty, the key is the declaring class and method name, so every call of the
	 * method shares one lock.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * How long the lock lasts unless released first, e.g. {@code 30s}, {@code 2m} or
	 * {@code PT2M}. Empty means {@code celeriac.lock.default-expires}.
	 * @return the expiry
	 */
	String expires() default "";

	/**
	 * How long to wait for the lock, e.g. {@code 0s} to give up at once. Empty means
	 * {@code celeriac.lock.default-timeout}.
	 * @return the timeout
	 */
	String timeout() default "";

	/**
	 * Whether to keep extending the lock while the method runs, for work that may take
	 * longer than {@link #expires()}. {@code celeriac.lock.watchdog} turns it on for
	 * every method.
	 * @return whether the lock is kept alive
	 */
	boolean watchdog() default false;

}

package io.celeriac.task;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a Spring bean as a task: calling it through the bean's proxy
 * publishes a task message and returns at once, and a worker of the task's service runs
 * the method later.
 * <p>
 * The method may return {@code void} (fire and forget), {@link TaskHandle} (to follow the
 * task) or {@link java.util.concurrent.CompletableFuture} (completed with the task's
 * result). Arguments travel as JSON and are converted back to the declared parameter
 * types on the worker; a keyword argument sent by another producer binds to the parameter
 * of that name.
 *
 * @author Celeriac team
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Deferrable {

	/**
	 * The task name, {@code service.rest}, e.g. {@code reports.generate}. Its first
	 * segment is the routing key and names the service queue. When empty, the name is the
	 * bean class's simple name with a lower-case first letter, a dot and the method name:
	 * method {@code generate} of class {@code ReportTasks} is
	 * {@code reportTasks.generate}.
	 * @return the task name
	 */
	String name() default "";

	/**
	 * The exceptions (and their subclasses) after which the task is sent again, with
	 * {@code retries} incremented and an {@code eta}, as Celery's {@code self.retry}
	 * does. Any other exception sends the task to the error queue at once.
	 * @return the exception classes; none by default
	 */
	Class<? extends Throwable>[] retryOn() default {};

	/**
	 * How many attempts the task gets in all, the first included; the last failed one
	 * goes to the error queue.
	 * @return the number of attempts
	 */
	int maxAttempts() default 5;

	/**
	 * Whether the wait before each retry doubles (exponential backoff) rather than
	 * staying at {@link #backoffDelayMillis()}.
	 * @return {@code true} for exponential backoff
	 */
	boolean backoff() default true;

	/**
	 * The wait before the first retry, in milliseconds.
	 * @return the base delay
	 */
	long backoffDelayMillis() default 1000;

	/**
	 * The longest wait before a retry, in milliseconds.
	 * @return the cap
	 */
	long backoffMaxDelayMillis() default 600_000;

	/**
	 * Whether up to a quarter of each wait is taken off at random, so that tasks failing
	 * together do not come back together.
	 * @return {@code true} for jitter
	 */
	boolean backoffJitter() default true;

	/**
	 * How long after it is sent the task expires, in milliseconds: Celery's
	 * {@code expires}. An expired task never runs; it is recorded as REVOKED. 0 for
	 * never.
	 * @return the time to live
	 */
	long ttlMillis() default 0;

	/**
	 * How long after it is sent the task may run, in milliseconds: Celery's
	 * {@code countdown}, sent as an {@code eta}. 0 for at once.
	 * @return the delay
	 */
	long delayMillis() default 0;

	/**
	 * The debounce window in milliseconds: identical calls (same arguments) within it,
	 * from every producer sharing the debouncer, are sent at most once now and once at
	 * the window's end; the others are skipped. A debounced method returns {@code void},
	 * since a skipped call has no task to follow. 0 for no debouncing. Cannot be combined
	 * with {@link #delayMillis()}.
	 * @return the window
	 */
	long debounceMillis() default 0;

	/**
	 * Whether a debounced call is delayed to the window's end even when it is the first.
	 * @return {@code true} to always delay
	 */
	boolean debounceAlwaysDelay() default false;

	/**
	 * The most times the task may start per second, minute or hour across every worker
	 * that runs it, in Celery's {@code rate_limit} format: {@code "100/s"},
	 * {@code "10/m"}, {@code "1000/h"}, or a bare number per second. A task over its rate
	 * does not run and does not wait in the worker: it waits in the delayed task store
	 * for its turn and is published again then. Empty (or {@code "0"}) for no limit; the
	 * property {@code celeriac.worker.rate-limits.<task name>} overrides it.
	 * @return the rate limit
	 */
	String rateLimit() default "";

}

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

}

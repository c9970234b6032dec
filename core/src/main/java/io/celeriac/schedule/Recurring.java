package io.celeriac.schedule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sends a {@link io.celeriac.task.Deferrable @Deferrable} method's task on a schedule: on
 * a cron expression in a zone, or at a fixed interval. The method takes no parameters.
 * Every application instance runs the schedule, and each tick is published by exactly one
 * of them (the {@link ScheduleStore} decides), with task id
 * {@code <schedule>@<tick time>}.
 *
 * @author Celeriac team
 * @see RecurringTaskScheduler
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Recurring {

	/**
	 * A Spring cron expression with seconds, e.g. {@code 0 *}{@code /5 * * * *} (every
	 * five minutes) or {@code @daily}. Exactly one of {@code cron} and {@link #every()}
	 * is set.
	 * @return the cron expression
	 */
	String cron() default "";

	/**
	 * The zone the cron expression is read in, e.g. {@code Europe/Paris}; UTC when empty.
	 * @return the zone id
	 */
	String zone() default "";

	/**
	 * A fixed interval, e.g. {@code 30s}, {@code 5m} or {@code PT1H}: ticks at every
	 * multiple of it since the epoch. Exactly one of {@link #cron()} and {@code every} is
	 * set.
	 * @return the interval
	 */
	String every() default "";

	/**
	 * The schedule's name, which starts every tick's task id; the task name when empty.
	 * @return the name
	 */
	String name() default "";

	/**
	 * What to do with ticks missed while every instance was down.
	 * @return the policy
	 */
	MissedTicks missedTicks() default MissedTicks.RUN_ONCE;

}

package io.celeriac.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.task.TaskOptions;
import org.jspecify.annotations.Nullable;

/**
 * A task sent on a recurrence: which task, with which arguments and options, when, and
 * what to do with missed ticks. Declared by {@link Recurring @Recurring} or by a
 * {@code celeriac.schedules.<name>} entry.
 *
 * @param name the schedule's name, unique in the application; it starts every tick's task
 * id
 * @param task the task name, run by a Celeriac or a Python Celery worker
 * @param recurrence when it ticks
 * @param args the positional arguments of each tick's task
 * @param kwargs the keyword arguments of each tick's task
 * @param routingKey the routing key, or {@code null} for the task's service
 * @param priority the message priority
 * @param expires how long after it is sent a tick's task expires if no worker ran it, or
 * {@code null} for never
 * @param missedTicks what to do with ticks missed for longer than the misfire threshold
 * @author Celeriac team
 */
public record RecurringSchedule(String name, String task, Recurrence recurrence, List<@Nullable Object> args,
		Map<String, @Nullable Object> kwargs, @Nullable String routingKey, int priority, @Nullable Duration expires,
		MissedTicks missedTicks) {

	public RecurringSchedule {
		if (name.isBlank() || name.contains("@")) {
			throw new IllegalArgumentException(
					"A schedule's name must not be blank nor contain '@', not '" + name + "'");
		}
		if (task.isBlank()) {
			throw new IllegalArgumentException("Schedule '" + name + "' names no task");
		}
		args = Collections.unmodifiableList(new ArrayList<>(args));
		kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
	}

	/**
	 * Returns a schedule that sends the task with no arguments and default options.
	 * @param name the schedule's name
	 * @param task the task name
	 * @param recurrence when it ticks
	 * @param missedTicks what to do with missed ticks
	 * @return the schedule
	 */
	public static RecurringSchedule of(String name, String task, Recurrence recurrence, MissedTicks missedTicks) {
		return new RecurringSchedule(name, task, recurrence, List.of(), Map.of(), null, 0, null, missedTicks);
	}

	/**
	 * Returns the task id of a tick: {@code <schedule>@<tick in ISO-8601 UTC>}, e.g.
	 * {@code reports@2026-12-07T09:00:00Z}, the same in every process, so that a tick
	 * published twice is recognised by its id.
	 * @param tick the tick's scheduled time
	 * @return the task id
	 */
	public String taskId(Instant tick) {
		return this.name + "@" + DateTimeFormatter.ISO_INSTANT.format(tick);
	}

	/**
	 * Returns the options a tick's task is sent with.
	 * @param tick the tick's scheduled time
	 * @param sentAt when it is sent (a catch-up tick is sent long after its time)
	 * @return the options
	 */
	public TaskOptions options(Instant tick, Instant sentAt) {
		TaskOptions options = TaskOptions.defaults().withTaskId(taskId(tick)).withPriority(this.priority);
		if (this.routingKey != null) {
			options = options.withRoutingKey(this.routingKey);
		}
		if (this.expires != null) {
			options = options.withExpires(sentAt.plus(this.expires));
		}
		return options;
	}

}

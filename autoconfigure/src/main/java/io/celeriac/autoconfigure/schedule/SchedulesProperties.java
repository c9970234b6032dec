package io.celeriac.autoconfigure.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.schedule.MissedTicks;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Recurring tasks declared in configuration ({@code celeriac.schedules.<name>.*}), each
 * sent by the recurring task scheduler on its schedule.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac")
public class SchedulesProperties {

	/**
	 * Recurring tasks by schedule name: the name starts each tick's task id.
	 */
	private final Map<String, Schedule> schedules = new LinkedHashMap<>();

	public Map<String, Schedule> getSchedules() {
		return this.schedules;
	}

	/**
	 * A recurring task: which task to send, when, with which arguments and options.
	 */
	public static class Schedule {

		/**
		 * Name of the task to send, e.g. reports.generate; any task on the broker,
		 * including a Python Celery worker's.
		 */
		private @Nullable String task;

		/**
		 * Spring cron expression with seconds, e.g. "0 0 9 * * MON-FRI". Set this or
		 * every.
		 */
		private @Nullable String cron;

		/**
		 * Zone the cron expression is read in, e.g. Europe/Paris.
		 */
		private String zone = "UTC";

		/**
		 * Fixed interval, e.g. 30s: ticks at every multiple of it since the epoch. Set
		 * this or cron.
		 */
		private @Nullable Duration every;

		/**
		 * Positional arguments of each tick's task.
		 */
		private List<Object> args = new ArrayList<>();

		/**
		 * Keyword arguments of each tick's task.
		 */
		private Map<String, Object> kwargs = new LinkedHashMap<>();

		/**
		 * Routing key; by default the task's service (the first segment of its name).
		 */
		private @Nullable String routingKey;

		/**
		 * Message priority, 0 to 255.
		 */
		private int priority;

		/**
		 * How long after it is sent a tick's task expires if no worker ran it; never when
		 * unset.
		 */
		private @Nullable Duration expires;

		/**
		 * What to do with ticks missed for longer than
		 * celeriac.recurring.misfire-threshold: run-once publishes one catch-up tick for
		 * them all, skip publishes none.
		 */
		private MissedTicks missedTicks = MissedTicks.RUN_ONCE;

		public @Nullable String getTask() {
			return this.task;
		}

		public void setTask(@Nullable String task) {
			this.task = task;
		}

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public String getZone() {
			return this.zone;
		}

		public void setZone(String zone) {
			this.zone = zone;
		}

		public @Nullable Duration getEvery() {
			return this.every;
		}

		public void setEvery(@Nullable Duration every) {
			this.every = every;
		}

		public List<Object> getArgs() {
			return this.args;
		}

		public void setArgs(List<Object> args) {
			this.args = args;
		}

		public Map<String, Object> getKwargs() {
			return this.kwargs;
		}

		public void setKwargs(Map<String, Object> kwargs) {
			this.kwargs = kwargs;
		}

		public @Nullable String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(@Nullable String routingKey) {
			this.routingKey = routingKey;
		}

		public int getPriority() {
			return this.priority;
		}

		public void setPriority(int priority) {
			this.priority = priority;
		}

		public @Nullable Duration getExpires() {
			return this.expires;
		}

		public void setExpires(@Nullable Duration expires) {
			this.expires = expires;
		}

		public MissedTicks getMissedTicks() {
			return this.missedTicks;
		}

		public void setMissedTicks(MissedTicks missedTicks) {
			this.missedTicks = missedTicks;
		}

	}

}

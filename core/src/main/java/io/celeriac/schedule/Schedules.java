package io.celeriac.schedule;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The schedules of this application, by name: those of {@link Recurring @Recurring}
 * methods and those configured as properties.
 *
 * @author Celeriac team
 */
public class Schedules {

	private final Map<String, RecurringSchedule> schedules = new ConcurrentSkipListMap<>();

	/**
	 * Adds a schedule.
	 * @param schedule the schedule
	 * @throws IllegalStateException if another schedule has its name
	 */
	public void register(RecurringSchedule schedule) {
		RecurringSchedule existing = this.schedules.putIfAbsent(schedule.name(), schedule);
		if (existing != null && !existing.equals(schedule)) {
			throw new IllegalStateException("Two schedules are named '" + schedule.name() + "' (tasks '"
					+ existing.task() + "' and '" + schedule.task()
					+ "'); rename one (@Recurring(name = ...) or the celeriac.schedules.<name> key)");
		}
	}

	/**
	 * Finds a schedule.
	 * @param name its name
	 * @return the schedule, or empty
	 */
	public Optional<RecurringSchedule> find(String name) {
		return Optional.ofNullable(this.schedules.get(name));
	}

	/**
	 * Returns every schedule, in name order.
	 * @return the schedules
	 */
	public Collection<RecurringSchedule> all() {
		return Collections.unmodifiableCollection(this.schedules.values());
	}

}

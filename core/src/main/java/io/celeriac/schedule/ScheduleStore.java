package io.celeriac.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the last tick of each schedule is kept, shared by every process that runs the
 * schedule. A tick is claimed by moving the schedule's last tick forward in one atomic
 * step: of any number of processes claiming the same tick, exactly one succeeds, and a
 * tick no later than the last one is never claimed again, so each tick is published once
 * across the fleet and a restarted process knows where its schedules stopped.
 *
 * @author Celeriac team
 */
public interface ScheduleStore {

	/**
	 * Claims a tick: records it as the schedule's last tick if it is later than the one
	 * recorded (or none is).
	 * @param schedule the schedule's name
	 * @param tick the tick's scheduled time
	 * @return {@code true} if this call claimed the tick, {@code false} if the schedule's
	 * last tick is already this one or a later one
	 */
	boolean claim(String schedule, Instant tick);

	/**
	 * Returns the last tick claimed for a schedule, by any process.
	 * @param schedule the schedule's name
	 * @return the last tick, or empty if the schedule never ticked
	 */
	Optional<Instant> lastTick(String schedule);

}

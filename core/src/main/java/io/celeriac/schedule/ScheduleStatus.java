package io.celeriac.schedule;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A schedule as the Actuator endpoint and the dashboard show it.
 *
 * @param name the schedule's name
 * @param task the task it sends
 * @param recurrence when it ticks, e.g. {@code every PT30S}
 * @param missedTicks what it does with missed ticks
 * @param lastRun the last tick claimed by any process, or {@code null} if it never ticked
 * (or the store could not be read)
 * @param lastTaskId the task id of that tick, or {@code null}
 * @param nextRun the next tick, or {@code null} if there is none
 * @author Celeriac team
 */
public record ScheduleStatus(String name, String task, String recurrence, MissedTicks missedTicks,
		@Nullable Instant lastRun, @Nullable String lastTaskId, @Nullable Instant nextRun) {

}

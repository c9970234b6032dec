package io.celeriac.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.celeriac.result.TaskState;

/**
 * How many tasks were seen per minute, by the state they are in now: what an overview
 * chart draws.
 *
 * @param since the start of the period
 * @param minutes the minutes with tasks, oldest first
 * @author Celeriac team
 */
public record TaskTimeline(Instant since, List<Minute> minutes) {

	public TaskTimeline {
		minutes = List.copyOf(minutes);
	}

	/**
	 * The tasks seen in one minute.
	 *
	 * @param start the minute's first instant
	 * @param counts how many of them are in each state; states without tasks are left out
	 */
	public record Minute(Instant start, Map<TaskState, Long> counts) {

		public Minute {
			counts = Map.copyOf(counts);
		}

	}

}

package io.celeriac.schedule;

/**
 * What a schedule does with the ticks that no process published while they were due,
 * because every process was down (or far behind) for longer than the misfire threshold.
 * Ticks late by less than the threshold are published each, in order, whatever the
 * policy.
 *
 * @author Celeriac team
 */
public enum MissedTicks {

	/**
	 * Publish one catch-up tick for all the missed ones: the latest missed tick (its time
	 * is in the task id). The default: a recurring task usually catches up on what
	 * accumulated since it last ran, which one run does, while running it once per missed
	 * tick would only repeat the same work in a burst.
	 */
	RUN_ONCE,

	/**
	 * Publish none of the missed ticks; the schedule resumes with the next tick. For
	 * tasks whose run only matters at its time (a reminder at nine o'clock).
	 */
	SKIP

}

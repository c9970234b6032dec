package io.celeriac.workflow;

import java.time.Duration;

/**
 * How the worker joins chords over a result store without native join
 * ({@code celery.chord_unlock}).
 *
 * @param chordUnlockInterval how long {@code celery.chord_unlock} waits before it checks
 * the header again (Celery's {@code result_chord_retry_interval}, 1 s)
 * @param chordUnlockMaxRetries how many times it checks at most before the body fails
 * (Cadasta's {@code CHORD_UNLOCK_MAX_RETRIES}, 43,200: 12 hours at 1 s)
 * @author Celeriac team
 */
public record WorkflowSettings(Duration chordUnlockInterval, int chordUnlockMaxRetries) {

	private static final WorkflowSettings DEFAULTS = new WorkflowSettings(Duration.ofSeconds(1), 43_200);

	public WorkflowSettings {
		if (chordUnlockInterval.isNegative()) {
			throw new IllegalArgumentException("chordUnlockInterval must not be negative, not " + chordUnlockInterval);
		}
		if (chordUnlockMaxRetries < 0) {
			throw new IllegalArgumentException(
					"chordUnlockMaxRetries must not be negative, not " + chordUnlockMaxRetries);
		}
	}

	/**
	 * Returns Celery's interval and Cadasta's maximum.
	 * @return the defaults
	 */
	public static WorkflowSettings defaults() {
		return DEFAULTS;
	}

}

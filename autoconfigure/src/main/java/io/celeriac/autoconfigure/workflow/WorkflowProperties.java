package io.celeriac.autoconfigure.workflow;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Workflows: chains, callbacks, groups and chords.
 * <p>
 * Bound to {@code celeriac.workflow.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.workflow")
public class WorkflowProperties {

	/**
	 * How long celery.chord_unlock waits before it checks a chord's header again
	 * (Celery's result_chord_retry_interval).
	 */
	private Duration chordUnlockInterval = Duration.ofSeconds(1);

	/**
	 * How many times celery.chord_unlock checks a chord's header at most before the body
	 * fails with a ChordError (Cadasta's CHORD_UNLOCK_MAX_RETRIES: 12 hours at 1 s).
	 */
	private int chordUnlockMaxRetries = 43_200;

	public Duration getChordUnlockInterval() {
		return this.chordUnlockInterval;
	}

	public void setChordUnlockInterval(Duration chordUnlockInterval) {
		this.chordUnlockInterval = chordUnlockInterval;
	}

	public int getChordUnlockMaxRetries() {
		return this.chordUnlockMaxRetries;
	}

	public void setChordUnlockMaxRetries(int chordUnlockMaxRetries) {
		this.chordUnlockMaxRetries = chordUnlockMaxRetries;
	}

}

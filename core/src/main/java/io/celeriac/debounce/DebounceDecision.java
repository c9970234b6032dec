package io.celeriac.debounce;

import java.time.Duration;

/**
 * What to do with one call of a debounced task.
 *
 * @param outcome send now, send delayed, or skip
 * @param delay how long to delay it, for {@link Outcome#DELAYED}; zero otherwise
 * @author Celeriac team
 */
public record DebounceDecision(Outcome outcome, Duration delay) {

	/**
	 * Returns the decision to send at once.
	 * @return the decision
	 */
	public static DebounceDecision now() {
		return new DebounceDecision(Outcome.NOW, Duration.ZERO);
	}

	/**
	 * Returns the decision to skip.
	 * @return the decision
	 */
	public static DebounceDecision skipped() {
		return new DebounceDecision(Outcome.SKIPPED, Duration.ZERO);
	}

	/**
	 * Returns the decision to send after a delay.
	 * @param delay the delay
	 * @return the decision
	 */
	public static DebounceDecision delayed(Duration delay) {
		return new DebounceDecision(Outcome.DELAYED, delay);
	}

	/**
	 * The three outcomes.
	 */
	public enum Outcome {

		/**
		 * Send at once.
		 */
		NOW,

		/**
		 * Send with an eta at the window's end.
		 */
		DELAYED,

		/**
		 * Do not send: a delayed call is already pending.
		 */
		SKIPPED

	}

}

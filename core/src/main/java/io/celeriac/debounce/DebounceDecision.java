package io.celeriac.debounce;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What to do with one call of a debounced task.
 *
 * @param outcome send now, send delayed, or skip
 * @param delay how long to delay it, for {@link Outcome#DELAYED}; zero otherwise
 * @param undo what the debouncer needs to take the decision back
 * ({@link Debouncer#undo}), in its own form; empty when there is nothing to undo
 * @author Celeriac team
 */
public record DebounceDecision(Outcome outcome, Duration delay, String undo) {

	/**
	 * Creates a decision that has nothing to undo.
	 * @param outcome send now, send delayed, or skip
	 * @param delay how long to delay it
	 */
	public DebounceDecision(Outcome outcome, Duration delay) {
		this(outcome, delay, "");
	}

	/**
	 * Returns the decision to send at once, with what undoing it needs.
	 * @param undo the debouncer's own record of what it changed
	 * @return the decision
	 */
	public static DebounceDecision now(String undo) {
		return new DebounceDecision(Outcome.NOW, Duration.ZERO, undo);
	}

	/**
	 * Returns the decision to send after a delay, with what undoing it needs.
	 * @param delay the delay
	 * @param undo the debouncer's own record of what it changed
	 * @return the decision
	 */
	public static DebounceDecision delayed(Duration delay, String undo) {
		return new DebounceDecision(Outcome.DELAYED, delay, undo);
	}

	/**
	 * Two decisions are equal when they say the same: the undo record is the debouncer's
	 * own.
	 */
	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof DebounceDecision decision) && this.outcome == decision.outcome
				&& this.delay.equals(decision.delay);
	}

	@Override
	public int hashCode() {
		return 31 * this.outcome.hashCode() + this.delay.hashCode();
	}

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

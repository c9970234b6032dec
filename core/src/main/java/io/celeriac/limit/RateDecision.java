package io.celeriac.limit;

import java.time.Duration;

/**
 * The answer of a {@link RateLimiter}.
 *
 * @param allowed whether the acquisition was allowed and counted
 * @param retryAfter when not allowed, how long until it would be; zero when allowed
 * @author Celeriac team
 */
public record RateDecision(boolean allowed, Duration retryAfter) {

	/**
	 * Returns an allowed decision.
	 * @return the decision
	 */
	public static RateDecision allow() {
		return new RateDecision(true, Duration.ZERO);
	}

	/**
	 * Returns a refusal.
	 * @param retryAfter how long until an acquisition would be allowed
	 * @return the decision
	 */
	public static RateDecision deny(Duration retryAfter) {
		return new RateDecision(false, retryAfter);
	}

}

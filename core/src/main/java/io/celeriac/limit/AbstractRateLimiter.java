package io.celeriac.limit;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * What every {@link RateLimiter} backend shares: checks and waiting for the time a
 * refusal names. The backend supplies the atomic GCRA step.
 *
 * @author Celeriac team
 */
public abstract class AbstractRateLimiter implements RateLimiter {

	private final String name;

	private final RateLimitDefinition definition;

	/**
	 * Creates a rate limiter.
	 * @param name its name
	 * @param definition its limit and period
	 */
	protected AbstractRateLimiter(String name, RateLimitDefinition definition) {
		this.name = name;
		this.definition = definition;
	}

	/**
	 * Runs one GCRA step for a key in the store.
	 * @param key what is rate limited
	 * @return the decision
	 */
	protected abstract RateDecision decide(String key);

	/**
	 * Reserves the next acquisition for a key in the store, in one atomic GCRA step.
	 * @param key what is rate limited
	 * @return how long until the reserved acquisition is due, zero for now
	 */
	protected abstract Duration reserveNext(String key);

	/**
	 * Returns the limit and period.
	 * @return the definition
	 */
	protected final RateLimitDefinition definition() {
		return this.definition;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public int limit() {
		return this.definition.limit();
	}

	@Override
	public Duration period() {
		return this.definition.period();
	}

	@Override
	public RateDecision tryAcquire(String key) {
		checkKey(key);
		return decide(key);
	}

	@Override
	public Duration reserve(String key) {
		checkKey(key);
		return reserveNext(key);
	}

	@Override
	public void acquire(String key, Duration timeout) {
		checkKey(key);
		Assert.isTrue(timeout != null && !timeout.isNegative(), () -> "Timeout must not be negative, was " + timeout);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			RateDecision decision = decide(key);
			if (decision.allowed()) {
				return;
			}
			long remaining = deadline - System.nanoTime();
			if (decision.retryAfter().toNanos() > remaining) {
				throw new PermitTimeoutException(this.name, key, timeout);
			}
			try {
				// the refusal says when the rate allows the next acquisition: no polling
				Thread.sleep(Math.max(1, decision.retryAfter().toMillis()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new PermitTimeoutException(this.name, key, timeout);
			}
		}
	}

	private static void checkKey(String key) {
		Assert.isTrue(key != null && !key.isEmpty(), "A rate-limited key must not be empty");
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + this.name + ", " + limit() + " per " + period() + "]";
	}

}

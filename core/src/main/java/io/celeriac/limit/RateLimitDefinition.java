package io.celeriac.limit;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How a {@link RateLimiter} is configured.
 *
 * @param limit how many acquisitions each key may make per period; at least 1
 * @param period the period; at least 1ms
 * @author Celeriac team
 */
public record RateLimitDefinition(int limit, Duration period) {

	public RateLimitDefinition {
		Assert.isTrue(limit >= 1, () -> "A rate limit must allow at least 1 per period, was " + limit);
		Assert.isTrue(period != null && period.toMillis() >= 1,
				() -> "A rate limit's period must be at least one millisecond, was " + period);
	}

	/**
	 * Returns the time between two acquisitions at the sustained rate.
	 * @return {@code period / limit}
	 */
	public Duration interval() {
		return this.period.dividedBy(this.limit);
	}

}

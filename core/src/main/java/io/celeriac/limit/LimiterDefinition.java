package io.celeriac.limit;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How a {@link Limiter} is configured.
 *
 * @param limit how many holders may hold a place at once; at least 1
 * @param expires how long a place lasts unless released first; at least 1ms
 * @author Celeriac team
 */
public record LimiterDefinition(int limit, Duration expires) {

	public LimiterDefinition {
		Assert.isTrue(limit >= 1, () -> "A limiter's limit must be at least 1, was " + limit);
		Assert.isTrue(expires != null && expires.toMillis() >= 1,
				() -> "A limiter's expiry must be at least one millisecond, was " + expires);
	}

}

package io.celeriac.test.limit;

import io.celeriac.limit.Limiters;
import io.celeriac.limit.memory.InMemoryLimiters;

/**
 * The {@link io.celeriac.limit.RateLimiter} contract on {@link InMemoryLimiters}.
 *
 * @author Celeriac team
 */
class InMemoryRateLimiterTests extends RateLimiterContractTests {

	private final InMemoryLimiters limiters = new InMemoryLimiters();

	@Override
	protected Limiters limiters() {
		return this.limiters;
	}

}

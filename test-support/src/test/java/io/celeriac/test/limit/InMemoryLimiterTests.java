package io.celeriac.test.limit;

import io.celeriac.limit.Limiters;
import io.celeriac.limit.memory.InMemoryLimiters;

/**
 * The {@link io.celeriac.limit.Limiter} contract on {@link InMemoryLimiters}.
 *
 * @author Celeriac team
 */
class InMemoryLimiterTests extends LimiterContractTests {

	private final InMemoryLimiters limiters = new InMemoryLimiters();

	@Override
	protected Limiters limiters() {
		return this.limiters;
	}

}

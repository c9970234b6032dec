package io.celeriac.test.debounce;

import io.celeriac.debounce.Debouncer;
import io.celeriac.debounce.memory.InMemoryDebouncer;

/**
 * The debouncer contract in memory.
 *
 * @author Celeriac team
 */
class InMemoryDebouncerTests extends DebouncerContractTests {

	private final InMemoryDebouncer debouncer = new InMemoryDebouncer();

	@Override
	protected Debouncer debouncer() {
		return this.debouncer;
	}

}

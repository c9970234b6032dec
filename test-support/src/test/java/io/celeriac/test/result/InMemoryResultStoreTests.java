package io.celeriac.test.result;

import io.celeriac.result.ResultStore;
import io.celeriac.result.memory.InMemoryResultStore;

/**
 * The result store contract in memory.
 *
 * @author Celeriac team
 */
class InMemoryResultStoreTests extends ResultStoreContractTests {

	private final InMemoryResultStore store = new InMemoryResultStore();

	@Override
	protected ResultStore store() {
		return this.store;
	}

}

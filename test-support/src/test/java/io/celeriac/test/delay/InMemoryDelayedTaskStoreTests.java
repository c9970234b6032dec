package io.celeriac.test.delay;

import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;

/**
 * The delayed task store contract in memory.
 *
 * @author Celeriac team
 */
class InMemoryDelayedTaskStoreTests extends DelayedTaskStoreContractTests {

	private final InMemoryDelayedTaskStore store = new InMemoryDelayedTaskStore();

	@Override
	protected DelayedTaskStore store() {
		return this.store;
	}

}

package io.celeriac.test.processing;

import io.celeriac.processing.OperationStore;
import io.celeriac.processing.memory.InMemoryOperationStore;

/**
 * The operation store contract in memory.
 *
 * @author Celeriac team
 */
class InMemoryOperationStoreTests extends OperationStoreContractTests {

	@Override
	protected OperationStore createStore() {
		return new InMemoryOperationStore();
	}

}

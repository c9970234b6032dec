package io.celeriac.test.monitor;

import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.memory.InMemoryTaskRecordStore;

/**
 * The task record store contract in memory.
 *
 * @author Celeriac team
 */
class InMemoryTaskRecordStoreTests extends TaskRecordStoreContractTests {

	private final InMemoryTaskRecordStore store = new InMemoryTaskRecordStore();

	@Override
	protected TaskRecordStore store() {
		return this.store;
	}

}

package io.celeriac.test.schedule;

import io.celeriac.schedule.ScheduleStore;
import io.celeriac.schedule.memory.InMemoryScheduleStore;

/**
 * The schedule store contract in memory.
 *
 * @author Celeriac team
 */
class InMemoryScheduleStoreTests extends ScheduleStoreContractTests {

	private final InMemoryScheduleStore store = new InMemoryScheduleStore();

	@Override
	protected ScheduleStore store() {
		return this.store;
	}

}

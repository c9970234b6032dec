package io.celeriac.test.events;

import io.celeriac.events.EventTransport;
import io.celeriac.events.memory.InMemoryEventTransport;

/**
 * The event transport contract in memory.
 *
 * @author Celeriac team
 */
class InMemoryEventTransportTests extends EventTransportContractTests {

	private final InMemoryEventTransport transport = new InMemoryEventTransport();

	@Override
	protected EventTransport transport() {
		return this.transport;
	}

}

package io.celeriac.test.processing;

import io.celeriac.broker.Broker;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.memory.InMemoryOperationStore;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;

/**
 * The cached operations contract on the in-memory broker and store.
 *
 * @author Celeriac team
 */
class InMemoryCachedOperationsTests extends CachedOperationsContractTests {

	private final InMemoryBroker broker = new InMemoryBroker();

	@Override
	protected Broker broker() {
		return this.broker;
	}

	@Override
	protected Topology newTopology(String... services) {
		return new Topology("task_exchange", "test-", "platform.fifo", java.util.Set.of(services), QueueType.CLASSIC,
				".error");
	}

	@Override
	protected OperationStore newStore() {
		return new InMemoryOperationStore();
	}

}

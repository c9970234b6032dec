package io.celeriac.test.execution;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.Broker;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;

/**
 * The execution contract on the in-memory broker and delayed task store.
 *
 * @author Celeriac team
 */
class InMemoryExecutionTests extends ExecutionContractTests {

	private final InMemoryDelayedTaskStore store = new InMemoryDelayedTaskStore();

	private final InMemoryBroker broker = new InMemoryBroker(this.store);

	private final AtomicInteger topologies = new AtomicInteger();

	@Override
	protected Broker broker() {
		return this.broker;
	}

	@Override
	protected Topology newTopology(String... services) {
		return new Topology("tasks" + this.topologies.incrementAndGet(), "test-", "platform.fifo", Set.of(services),
				QueueType.CLASSIC, ".error");
	}

	@Override
	protected DelayedTaskStore delayedTaskStore() {
		return this.store;
	}

}

package io.celeriac.test.worker;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.Broker;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;

/**
 * The worker contract on the in-memory broker.
 *
 * @author Celeriac team
 */
class InMemoryTaskWorkerTests extends TaskWorkerContractTests {

	private final InMemoryBroker broker = new InMemoryBroker();

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

}

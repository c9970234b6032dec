package io.celeriac.test.worker;

import io.celeriac.broker.Broker;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;

/**
 * The worker contract on RabbitMQ.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitTaskWorkerTests extends TaskWorkerContractTests {

	private final RabbitTestBroker rabbit;

	RabbitTaskWorkerTests(RabbitEndpoint endpoint, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(endpoint, isolation);
	}

	@AfterEach
	void disconnect() {
		this.rabbit.close();
	}

	/**
	 * Classic queues, which the test topologies declare, do not count deliveries; quorum
	 * queues do (RabbitDeliveryLimitTests).
	 */
	@Override
	protected boolean countsDeliveries() {
		return false;
	}

	@Override
	protected Broker broker() {
		return this.rabbit.broker();
	}

	@Override
	protected Topology newTopology(String... services) {
		return this.rabbit.newTopology(services);
	}

}

package io.celeriac.test.broker;

import io.celeriac.broker.Broker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;

/**
 * The broker contract on RabbitMQ.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitBrokerTests extends BrokerContractTests {

	private final RabbitTestBroker rabbit;

	RabbitBrokerTests(RabbitEndpoint endpoint, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(endpoint, isolation);
	}

	@AfterEach
	void disconnect() {
		this.rabbit.close();
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

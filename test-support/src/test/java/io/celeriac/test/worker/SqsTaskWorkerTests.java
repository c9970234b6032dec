package io.celeriac.test.worker;

import io.celeriac.broker.Broker;
import io.celeriac.test.broker.SqsTestBroker;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;

/**
 * The worker contract on the SQS broker (ElasticMQ inside the test JVM).
 *
 * @author Celeriac team
 */
@RealServices
class SqsTaskWorkerTests extends TaskWorkerContractTests {

	private final SqsTestBroker sqs;

	SqsTaskWorkerTests(SqsEndpoint endpoint, ServiceIsolation isolation) {
		this.sqs = new SqsTestBroker(endpoint, isolation);
	}

	@AfterEach
	void disconnect() {
		this.sqs.close();
	}

	@Override
	protected Broker broker() {
		return this.sqs.broker();
	}

	@Override
	protected Topology newTopology(String... services) {
		return this.sqs.newTopology(services);
	}

}

package io.celeriac.test.worker;

import io.celeriac.broker.Broker;
import io.celeriac.test.broker.RedisTestBroker;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;

/**
 * The worker contract on the Redis broker.
 *
 * @author Celeriac team
 */
@RealServices
class RedisTaskWorkerTests extends TaskWorkerContractTests {

	private final RedisTestBroker redis;

	RedisTaskWorkerTests(RedisEndpoint endpoint, ServiceIsolation isolation) {
		this.redis = new RedisTestBroker(endpoint, isolation);
	}

	@AfterEach
	void disconnect() {
		this.redis.close();
	}

	@Override
	protected Broker broker() {
		return this.redis.broker();
	}

	@Override
	protected Topology newTopology(String... services) {
		return this.redis.newTopology(services);
	}

}

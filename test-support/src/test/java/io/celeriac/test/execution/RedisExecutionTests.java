package io.celeriac.test.execution;

import java.util.UUID;

import io.celeriac.broker.Broker;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.test.broker.RedisTestBroker;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The execution contract with Redis as the broker ({@code celeriac.broker.type=redis})
 * and as the delayed task store.
 *
 * @author Celeriac team
 */
@RealServices
class RedisExecutionTests extends ExecutionContractTests {

	private final RedisTestBroker redis;

	private final RedisDelayedTaskStore store;

	RedisExecutionTests(RedisEndpoint redis, ServiceIsolation isolation) {
		LettuceConnectionFactory connectionFactory = RedisTestBroker.connectionFactory(redis);
		this.store = new RedisDelayedTaskStore(connectionFactory, isolation.redisKeyPrefix() + UUID.randomUUID() + ":",
				JsonMapper.builder().build());
		this.redis = new RedisTestBroker(connectionFactory, isolation, this.store);
	}

	@Override
	protected void closeServices() {
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

	@Override
	protected DelayedTaskStore delayedTaskStore() {
		return this.store;
	}

}

package io.celeriac.test.execution;

import java.util.UUID;

import io.celeriac.broker.Broker;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The execution contract on RabbitMQ, with delayed tasks in Redis: the production setup.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitExecutionTests extends ExecutionContractTests {

	private final RabbitTestBroker rabbit;

	private final LettuceConnectionFactory redis;

	private final RedisDelayedTaskStore store;

	RabbitExecutionTests(RabbitEndpoint rabbit, RedisEndpoint redis, ServiceIsolation isolation) {
		this.redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.redis.afterPropertiesSet();
		this.redis.start();
		this.store = new RedisDelayedTaskStore(this.redis, isolation.redisKeyPrefix() + UUID.randomUUID() + ":",
				JsonMapper.builder().build());
		this.rabbit = new RabbitTestBroker(rabbit, isolation, this.store);
	}

	@Override
	protected void closeServices() {
		this.rabbit.close();
		this.redis.destroy();
	}

	@Override
	protected Broker broker() {
		return this.rabbit.broker();
	}

	@Override
	protected Topology newTopology(String... services) {
		return this.rabbit.newTopology(services);
	}

	@Override
	protected DelayedTaskStore delayedTaskStore() {
		return this.store;
	}

}

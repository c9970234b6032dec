package io.celeriac.test.processing;

import java.util.UUID;

import io.celeriac.broker.Broker;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.redis.RedisOperationStore;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The cached operations contract in production shape: tasks on a real RabbitMQ, results
 * and pending callback arguments in a real Redis.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitRedisCachedOperationsTests extends CachedOperationsContractTests {

	private final RabbitTestBroker rabbit;

	private final LettuceConnectionFactory redis;

	private final String keyPrefix;

	RabbitRedisCachedOperationsTests(RabbitEndpoint rabbit, RedisEndpoint redis, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
		this.redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.redis.afterPropertiesSet();
		this.redis.start();
		this.keyPrefix = isolation.redisKeyPrefix() + UUID.randomUUID() + ":";
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
	protected OperationStore newStore() {
		return new RedisOperationStore(this.redis, this.keyPrefix);
	}

}

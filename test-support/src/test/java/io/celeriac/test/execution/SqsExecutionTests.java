package io.celeriac.test.execution;

import java.util.UUID;

import io.celeriac.broker.Broker;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.test.broker.SqsTestBroker;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.Topology;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The execution contract on SQS (ElasticMQ inside the test JVM), with delays beyond SQS's
 * 15 minutes in the Redis delayed task store.
 *
 * @author Celeriac team
 */
@RealServices
class SqsExecutionTests extends ExecutionContractTests {

	private final SqsTestBroker sqs;

	private final LettuceConnectionFactory redis;

	private final RedisDelayedTaskStore store;

	SqsExecutionTests(SqsEndpoint sqs, RedisEndpoint redis, ServiceIsolation isolation) {
		this.redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.redis.afterPropertiesSet();
		this.redis.start();
		this.store = new RedisDelayedTaskStore(this.redis, isolation.redisKeyPrefix() + UUID.randomUUID() + ":",
				JsonMapper.builder().build());
		// delays through the store, as the contract checks; SqsBrokerTests shows SQS's
		// own
		this.sqs = new SqsTestBroker(sqs, isolation, false, this.store);
	}

	@Override
	protected void closeServices() {
		this.sqs.close();
		this.redis.destroy();
	}

	@Override
	protected Broker broker() {
		return this.sqs.broker();
	}

	@Override
	protected Topology newTopology(String... services) {
		return this.sqs.newTopology(services);
	}

	@Override
	protected DelayedTaskStore delayedTaskStore() {
		return this.store;
	}

}

package io.celeriac.test.delay;

import java.util.UUID;

import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The delayed task store contract on a real Redis.
 *
 * @author Celeriac team
 */
@RealServices
class RedisDelayedTaskStoreTests extends DelayedTaskStoreContractTests {

	private final LettuceConnectionFactory connectionFactory;

	private final RedisDelayedTaskStore store;

	RedisDelayedTaskStoreTests(RedisEndpoint redis, ServiceIsolation isolation) {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		// a prefix per test method, so that each starts empty
		this.store = new RedisDelayedTaskStore(this.connectionFactory,
				isolation.redisKeyPrefix() + UUID.randomUUID() + ":", JsonMapper.builder().build());
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Override
	protected DelayedTaskStore store() {
		return this.store;
	}

}

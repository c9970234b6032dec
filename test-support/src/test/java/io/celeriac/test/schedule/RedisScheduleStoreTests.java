package io.celeriac.test.schedule;

import io.celeriac.schedule.ScheduleStore;
import io.celeriac.schedule.redis.RedisScheduleStore;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The schedule store contract on a real Redis.
 *
 * @author Celeriac team
 */
@RealServices
class RedisScheduleStoreTests extends ScheduleStoreContractTests {

	private final LettuceConnectionFactory connectionFactory;

	private final RedisScheduleStore store;

	RedisScheduleStoreTests(RedisEndpoint redis, ServiceIsolation isolation) {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.store = new RedisScheduleStore(this.connectionFactory, isolation.redisKeyPrefix());
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Override
	protected ScheduleStore store() {
		return this.store;
	}

}

package io.celeriac.autoconfigure.schedule;

import java.util.List;

import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;

/**
 * Three instances claim an every-second task's ticks in the Redis schedule store, on the
 * real Redis.
 *
 * @author Celeriac team
 */
@RealServices
class RedisRecurringTasksAcrossInstancesTests extends RecurringTasksAcrossInstancesTests {

	private final List<String> properties;

	RedisRecurringTasksAcrossInstancesTests(RedisEndpoint redis, ServiceIsolation isolation) {
		this.properties = List.of("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"celeriac.broker.type=redis", "celeriac.result.type=none", "celeriac.recurring.type=redis",
				"celeriac.redis.key-prefix=" + isolation.redisKeyPrefix(),
				"celeriac.topology.queue-name-prefix=" + isolation.queueNamePrefix(), "celeriac.worker.concurrency=2");
	}

	@Override
	protected List<String> properties() {
		return this.properties;
	}

}

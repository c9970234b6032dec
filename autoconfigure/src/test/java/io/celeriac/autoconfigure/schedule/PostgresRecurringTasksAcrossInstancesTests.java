package io.celeriac.autoconfigure.schedule;

import java.util.List;

import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;

/**
 * Three instances claim an every-second task's ticks in the JDBC schedule store on the
 * real PostgreSQL (the broker is the real Redis).
 *
 * @author Celeriac team
 */
@RealServices
class PostgresRecurringTasksAcrossInstancesTests extends RecurringTasksAcrossInstancesTests {

	private final List<String> properties;

	PostgresRecurringTasksAcrossInstancesTests(RedisEndpoint redis, PostgresEndpoint postgres,
			ServiceIsolation isolation) {
		this.properties = List.of("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"spring.datasource.url=" + isolation.jdbcUrl(), "spring.datasource.username=" + postgres.username(),
				"spring.datasource.password=" + postgres.password(), "celeriac.broker.type=redis",
				"celeriac.result.type=none", "celeriac.recurring.type=jdbc",
				"celeriac.recurring.initialize-schema=always",
				"celeriac.redis.key-prefix=" + isolation.redisKeyPrefix(),
				"celeriac.topology.queue-name-prefix=" + isolation.queueNamePrefix(), "celeriac.worker.concurrency=2");
	}

	@Override
	protected List<String> properties() {
		return this.properties;
	}

}

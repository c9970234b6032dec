package io.celeriac.test.limit;

import io.celeriac.limit.Limiters;
import io.celeriac.limit.redis.RedisLimiters;
import io.celeriac.test.redis.RedisConnections;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The {@link io.celeriac.limit.Limiter} contract on {@link RedisLimiters}, with two
 * instances on separate connections standing for two processes.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisLimiterTests extends LimiterContractTests {

	private LettuceConnectionFactory connections;

	private LettuceConnectionFactory otherConnections;

	private RedisLimiters limiters;

	private RedisLimiters other;

	@BeforeAll
	void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		this.connections = RedisConnections.start(redis.host(), redis.port());
		this.otherConnections = RedisConnections.start(redis.host(), redis.port());
		this.limiters = new RedisLimiters(this.connections, isolation.redisKeyPrefix());
		this.other = new RedisLimiters(this.otherConnections, isolation.redisKeyPrefix());
	}

	@AfterAll
	void disconnect() {
		this.limiters.close();
		this.other.close();
		this.connections.destroy();
		this.otherConnections.destroy();
	}

	@Override
	protected Limiters limiters() {
		return this.limiters;
	}

	@Override
	protected Limiters otherProcess() {
		return this.other;
	}

}

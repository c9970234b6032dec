package io.celeriac.test.lock;

import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.test.redis.RedisConnections;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link DistributedLock} contract on {@link RedisDistributedLock}, with two
 * instances on separate connections standing for two processes.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisDistributedLockTests extends DistributedLockContractTests {

	private LettuceConnectionFactory connections;

	private LettuceConnectionFactory otherConnections;

	private RedisDistributedLock lock;

	private RedisDistributedLock other;

	private String prefix;

	@BeforeAll
	void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		this.prefix = isolation.redisKeyPrefix();
		this.connections = RedisConnections.start(redis.host(), redis.port());
		this.otherConnections = RedisConnections.start(redis.host(), redis.port());
		this.lock = new RedisDistributedLock(this.connections, this.prefix);
		this.other = new RedisDistributedLock(this.otherConnections, this.prefix);
	}

	@AfterAll
	void disconnect() {
		this.lock.close();
		this.other.close();
		this.connections.destroy();
		this.otherConnections.destroy();
	}

	@Override
	protected DistributedLock lock() {
		return this.lock;
	}

	@Override
	protected DistributedLock otherProcess() {
		return this.other;
	}

	@Test
	void theLockAndItsFencingCounterShareAHashSlotUnderThePrefix() {
		String key = key();
		this.lock.tryAcquire(key, java.time.Duration.ofMinutes(1)).orElseThrow();
		StringRedisTemplate redis = new StringRedisTemplate(this.connections);
		assertThat(redis.keys(this.prefix + "lock:{" + key + "}*"))
			.containsExactlyInAnyOrder(this.prefix + "lock:{" + key + "}", this.prefix + "lock:{" + key + "}:fence");
		assertThat(redis.getExpire(this.prefix + "lock:{" + key + "}")).isPositive();
	}

}

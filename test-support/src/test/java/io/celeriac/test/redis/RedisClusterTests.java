package io.celeriac.test.redis;

import io.celeriac.limit.Limiters;
import io.celeriac.limit.redis.RedisLimiters;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.test.limit.LimiterContractTests;
import io.celeriac.test.limit.RateLimiterContractTests;
import io.celeriac.test.lock.DistributedLockContractTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The lock, limiter and rate limiter contracts on a Redis Cluster of three masters that
 * this test starts on loopback ports and kills afterwards. Every script's keys must share
 * one hash slot, or the cluster refuses it with CROSSSLOT.
 *
 * @author Celeriac team
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterTests {

	private RedisClusterProcesses cluster;

	private LettuceConnectionFactory connections;

	private LettuceConnectionFactory otherConnections;

	private RedisDistributedLock lock;

	private RedisDistributedLock otherLock;

	private RedisLimiters limiters;

	private RedisLimiters otherLimiters;

	@BeforeAll
	void startCluster() {
		this.cluster = RedisClusterProcesses.start();
		this.connections = this.cluster.connectionFactory();
		this.otherConnections = this.cluster.connectionFactory();
		this.lock = new RedisDistributedLock(this.connections, "celeriac:");
		this.otherLock = new RedisDistributedLock(this.otherConnections, "celeriac:");
		this.limiters = new RedisLimiters(this.connections, "celeriac:");
		this.otherLimiters = new RedisLimiters(this.otherConnections, "celeriac:");
	}

	@AfterAll
	void stopCluster() {
		if (this.cluster != null) {
			this.lock.close();
			this.otherLock.close();
			this.limiters.close();
			this.otherLimiters.close();
			this.connections.destroy();
			this.otherConnections.destroy();
			this.cluster.close();
		}
	}

	@Nested
	class Locks extends DistributedLockContractTests {

		@Override
		protected DistributedLock lock() {
			return RedisClusterTests.this.lock;
		}

		@Override
		protected DistributedLock otherProcess() {
			return RedisClusterTests.this.otherLock;
		}

	}

	@Nested
	class Limits extends LimiterContractTests {

		@Override
		protected Limiters limiters() {
			return RedisClusterTests.this.limiters;
		}

		@Override
		protected Limiters otherProcess() {
			return RedisClusterTests.this.otherLimiters;
		}

	}

	@Nested
	class RateLimits extends RateLimiterContractTests {

		@Override
		protected Limiters limiters() {
			return RedisClusterTests.this.limiters;
		}

		@Override
		protected Limiters otherProcess() {
			return RedisClusterTests.this.otherLimiters;
		}

	}

}

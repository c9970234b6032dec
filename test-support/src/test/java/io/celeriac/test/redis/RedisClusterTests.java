package io.celeriac.test.redis;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.celeriac.broker.Broker;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.redis.RedisCacheStore;
import io.celeriac.debounce.Debouncer;
import io.celeriac.debounce.redis.RedisDebouncer;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.redis.RedisLimiters;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.redis.RedisOperationStore;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.registry.redis.RedisWorkerRegistry;
import io.celeriac.test.cache.CacheStoreContractTests;
import io.celeriac.test.debounce.DebouncerContractTests;
import io.celeriac.test.delay.DelayedTaskStoreContractTests;
import io.celeriac.test.limit.LimiterContractTests;
import io.celeriac.test.limit.RateLimiterContractTests;
import io.celeriac.test.lock.DistributedLockContractTests;
import io.celeriac.test.processing.CachedOperationsContractTests;
import io.celeriac.test.processing.OperationStoreContractTests;
import io.celeriac.test.registry.WorkerRegistryContractTests;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contracts of every Redis backend that runs Lua scripts or multi-key commands
 * outside the broker (locks, limiters, rate limiters, cache regions, the delayed task
 * store, the debouncer, the worker registry and cached operations) on a Redis Cluster of
 * three masters that this test starts on loopback ports and kills afterwards. Every
 * script's keys must share one hash slot, or the cluster refuses it with CROSSSLOT.
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

	private RedisWorkerRegistry registry;

	private RedisWorkerRegistry otherRegistry;

	@BeforeAll
	void startCluster() {
		this.cluster = RedisClusterProcesses.start();
		this.connections = this.cluster.connectionFactory();
		this.otherConnections = this.cluster.connectionFactory();
		this.lock = new RedisDistributedLock(this.connections, "celeriac:");
		this.otherLock = new RedisDistributedLock(this.otherConnections, "celeriac:");
		this.limiters = new RedisLimiters(this.connections, "celeriac:");
		this.otherLimiters = new RedisLimiters(this.otherConnections, "celeriac:");
		this.registry = new RedisWorkerRegistry(this.connections, "celeriac:");
		this.otherRegistry = new RedisWorkerRegistry(this.otherConnections, "celeriac:");
	}

	/**
	 * Returns a key prefix that no other test uses, so that each test starts empty.
	 * @return the prefix
	 */
	private static String freshPrefix() {
		return "celeriac-" + UUID.randomUUID().toString().substring(0, 8) + ":";
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

	@Nested
	class CacheStores extends CacheStoreContractTests {

		@Override
		protected CacheStore createStore() {
			return new RedisCacheStore(RedisClusterTests.this.connections, freshPrefix(), Duration.ofSeconds(5));
		}

		@Override
		protected void age(CacheStore store, CacheEntryKey key, Duration age) {
			StringRedisTemplate redis = new StringRedisTemplate(RedisClusterTests.this.connections);
			String entry = ((RedisCacheStore) store).entryKey(key);
			String value = redis.opsForValue().get(entry);
			assertThat(value).isNotNull();
			long ttl = redis.getExpire(entry, TimeUnit.MILLISECONDS);
			int colon = value.indexOf(':');
			long created = Long.parseLong(value.substring(0, colon));
			redis.opsForValue().set(entry, (created - age.toMillis()) + value.substring(colon), Duration.ofMillis(ttl));
		}

	}

	@Nested
	class DelayedTasks extends DelayedTaskStoreContractTests {

		private final RedisDelayedTaskStore store = new RedisDelayedTaskStore(RedisClusterTests.this.connections,
				freshPrefix(), JsonMapper.builder().build());

		@Override
		protected DelayedTaskStore store() {
			return this.store;
		}

	}

	@Nested
	class Debounces extends DebouncerContractTests {

		private final RedisDebouncer debouncer = new RedisDebouncer(RedisClusterTests.this.connections, freshPrefix());

		@Override
		protected Debouncer debouncer() {
			return this.debouncer;
		}

	}

	@Nested
	class WorkerRegistries extends WorkerRegistryContractTests {

		@Override
		protected WorkerRegistry registry() {
			return RedisClusterTests.this.registry;
		}

		@Override
		protected WorkerRegistry otherProcess() {
			return RedisClusterTests.this.otherRegistry;
		}

	}

	@Nested
	class OperationStores extends OperationStoreContractTests {

		@Override
		protected OperationStore createStore() {
			return new RedisOperationStore(RedisClusterTests.this.connections, freshPrefix());
		}

	}

	/**
	 * Cached operations with their store on the cluster; the broker is in memory, since
	 * the Redis broker keeps kombu's key layout, which spans slots.
	 */
	@Nested
	class CachedOperations extends CachedOperationsContractTests {

		private final InMemoryBroker broker = new InMemoryBroker();

		@Override
		protected Broker broker() {
			return this.broker;
		}

		@Override
		protected Topology newTopology(String... services) {
			return new Topology("task_exchange", "test-", "platform.fifo", Set.of(services), QueueType.CLASSIC,
					".error");
		}

		@Override
		protected OperationStore newStore() {
			return new RedisOperationStore(RedisClusterTests.this.connections, freshPrefix());
		}

	}

}

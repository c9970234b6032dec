package io.celeriac.test.registry;

import java.time.Duration;

import io.celeriac.registry.WorkerRegistry;
import io.celeriac.registry.redis.RedisWorkerRegistry;
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
import static org.awaitility.Awaitility.await;

/**
 * The {@link WorkerRegistry} contract on {@link RedisWorkerRegistry}, with two instances
 * on separate connections standing for two processes.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisWorkerRegistryTests extends WorkerRegistryContractTests {

	private LettuceConnectionFactory connections;

	private LettuceConnectionFactory otherConnections;

	private RedisWorkerRegistry registry;

	private RedisWorkerRegistry other;

	private String prefix;

	@BeforeAll
	void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		this.prefix = isolation.redisKeyPrefix();
		this.connections = RedisConnections.start(redis.host(), redis.port());
		this.otherConnections = RedisConnections.start(redis.host(), redis.port());
		this.registry = new RedisWorkerRegistry(this.connections, this.prefix);
		this.other = new RedisWorkerRegistry(this.otherConnections, this.prefix);
	}

	@AfterAll
	void disconnect() {
		this.connections.destroy();
		this.otherConnections.destroy();
	}

	@Override
	protected WorkerRegistry registry() {
		return this.registry;
	}

	@Override
	protected WorkerRegistry otherProcess() {
		return this.other;
	}

	@Test
	void aWorkerIsAKeyWithATimeToLiveBesideTheSortedSetInOneHashSlot() {
		String id = id("keys");
		this.registry.announce(worker(id), Duration.ofMinutes(1));
		StringRedisTemplate redis = new StringRedisTemplate(this.connections);
		String registryKey = this.prefix + "workers:{registry}";
		assertThat(redis.getExpire(registryKey + ":" + id)).isPositive();
		assertThat(redis.opsForZSet().score(registryKey, id)).isNotNull();
		this.registry.unregister(id);
		assertThat(redis.hasKey(registryKey + ":" + id)).isFalse();
		assertThat(redis.opsForZSet().score(registryKey, id)).isNull();
	}

	@Test
	void aPrunedWorkerLeavesNoKeyBehind() {
		String id = id("pruned");
		this.registry.announce(worker(id), Duration.ofMillis(300));
		StringRedisTemplate redis = new StringRedisTemplate(this.connections);
		String registryKey = this.prefix + "workers:{registry}";
		await().atMost(Duration.ofSeconds(10)).until(() -> this.other.find(id).isEmpty());
		assertThat(redis.opsForZSet().score(registryKey, id)).isNull();
		assertThat(redis.hasKey(registryKey + ":" + id)).isFalse();
	}

}

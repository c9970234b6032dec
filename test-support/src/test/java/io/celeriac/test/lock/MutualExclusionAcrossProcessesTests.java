package io.celeriac.test.lock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.test.redis.ChildJvm;
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
 * Sixteen threads in each of two processes increment one Redis counter with a GET and a
 * SET: without a lock increments are lost, under the Redis lock none is.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualExclusionAcrossProcessesTests {

	private static final int THREADS = 16;

	private static final int ITERATIONS = 20;

	private RedisEndpoint redis;

	private String prefix;

	private LettuceConnectionFactory connections;

	private StringRedisTemplate template;

	private RedisDistributedLock lock;

	@BeforeAll
	void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		this.redis = redis;
		this.prefix = isolation.redisKeyPrefix();
		this.connections = RedisConnections.start(redis.host(), redis.port());
		this.template = new StringRedisTemplate(this.connections);
		this.lock = new RedisDistributedLock(this.connections, this.prefix);
	}

	@AfterAll
	void disconnect() {
		this.lock.close();
		this.connections.destroy();
	}

	@Test
	void withoutTheLockTheCounterLosesIncrements() throws Exception {
		String counter = this.prefix + "unlocked-counter";
		new CounterHammer(this.template, null, "unused", counter).run(THREADS, ITERATIONS);
		assertThat(Long.parseLong(this.template.opsForValue().get(counter))).isLessThan(THREADS * ITERATIONS);
	}

	@Test
	void underTheLockNoIncrementIsLostAcrossTwoProcesses() throws Exception {
		String counter = this.prefix + "locked-counter";
		try (ChildJvm child = ChildJvm.launch(HammerMain.class, this.redis.host(), Integer.toString(this.redis.port()),
				this.prefix, "counter", counter, Integer.toString(THREADS), Integer.toString(ITERATIONS))) {
			assertThat(child.readLine(Duration.ofSeconds(30))).isEqualTo("READY");
			child.send("GO");
			CompletableFuture<String> childDone = CompletableFuture
				.supplyAsync(() -> child.readLine(Duration.ofMinutes(2)));
			new CounterHammer(this.template, this.lock, "counter", counter).run(THREADS, ITERATIONS);
			assertThat(childDone.get()).isEqualTo("DONE");
		}
		assertThat(Long.parseLong(this.template.opsForValue().get(counter))).isEqualTo(2L * THREADS * ITERATIONS);
	}

}

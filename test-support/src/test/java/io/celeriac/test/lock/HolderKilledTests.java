package io.celeriac.test.lock;

import java.time.Duration;

import io.celeriac.limit.Limiter;
import io.celeriac.limit.redis.RedisLimiters;
import io.celeriac.lock.HeldLock;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A holder process killed with SIGKILL never releases what it holds; its lock or limiter
 * place is free again once its expiry has passed.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HolderKilledTests {

	private static final Duration EXPIRES = Duration.ofSeconds(2);

	private RedisEndpoint redis;

	private String prefix;

	private LettuceConnectionFactory connections;

	private RedisDistributedLock lock;

	private RedisLimiters limiters;

	@BeforeAll
	void connect(RedisEndpoint redis, ServiceIsolation isolation) {
		this.redis = redis;
		this.prefix = isolation.redisKeyPrefix();
		this.connections = RedisConnections.start(redis.host(), redis.port());
		this.lock = new RedisDistributedLock(this.connections, this.prefix);
		this.limiters = new RedisLimiters(this.connections, this.prefix);
	}

	@AfterAll
	void disconnect() {
		this.lock.close();
		this.limiters.close();
		this.connections.destroy();
	}

	@Test
	void aKilledHoldersLockIsFreeAfterItsExpiry() {
		try (ChildJvm holder = ChildJvm.launch(HolderMain.class, this.redis.host(), Integer.toString(this.redis.port()),
				this.prefix, "lock", "killed-lock", Long.toString(EXPIRES.toMillis()))) {
			long childToken = Long.parseLong(holder.readLine(Duration.ofSeconds(30)).substring("HELD ".length()));
			assertThat(this.lock.isLocked("killed-lock")).isTrue();
			assertThat(this.lock.tryAcquire("killed-lock", Duration.ofMinutes(1))).isEmpty();
			holder.kill();
			assertThat(holder.isAlive()).isFalse();
			// woken by the expiry, as no release is ever announced
			HeldLock next = this.lock.acquire("killed-lock", Duration.ofMinutes(1), Duration.ofSeconds(20));
			assertThat(next.fencingToken()).isGreaterThan(childToken);
			next.release();
		}
	}

	@Test
	void aKilledHoldersLimiterPlaceIsFreeAfterItsExpiry() {
		Limiter limiter = this.limiters.limiter("killed-limiter", 1, EXPIRES);
		try (ChildJvm holder = ChildJvm.launch(HolderMain.class, this.redis.host(), Integer.toString(this.redis.port()),
				this.prefix, "permit", "killed-limiter", Long.toString(EXPIRES.toMillis()))) {
			assertThat(holder.readLine(Duration.ofSeconds(30))).isEqualTo("HELD child");
			assertThat(limiter.holders()).isEqualTo(1);
			assertThat(limiter.tryAcquire("parent")).isEmpty();
			holder.kill();
			assertThat(holder.isAlive()).isFalse();
			await().atMost(EXPIRES.plusSeconds(15)).until(() -> limiter.tryAcquire("parent").isPresent());
			assertThat(limiter.holders()).isEqualTo(1);
		}
	}

}

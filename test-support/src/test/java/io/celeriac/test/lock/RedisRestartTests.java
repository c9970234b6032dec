package io.celeriac.test.lock;

import java.time.Duration;

import io.celeriac.limit.Limiter;
import io.celeriac.limit.LimiterUnavailableException;
import io.celeriac.limit.RateLimiter;
import io.celeriac.limit.redis.RedisLimiters;
import io.celeriac.lock.HeldLock;
import io.celeriac.lock.LockUnavailableException;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.test.redis.RedisConnections;
import io.celeriac.test.redis.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * While Redis is down, acquirers get a clear exception instead of a lock; once it is back
 * they work again. The server is this test's own, started without persistence, so its
 * restart also shows what a Redis without persistence forgets: the locks it held.
 *
 * @author Celeriac team
 */
class RedisRestartTests {

	@Test
	void acquirersFailClearlyWhileRedisIsDownAndWorkOnceItIsBack() {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory connections = RedisConnections.start("127.0.0.1", server.port(),
					Duration.ofSeconds(1));
			RedisDistributedLock lock = new RedisDistributedLock(connections, "celeriac:");
			RedisLimiters limiters = new RedisLimiters(connections, "celeriac:");
			try {
				Limiter limiter = limiters.limiter("restart", 1, Duration.ofMinutes(1));
				RateLimiter rate = limiters.rateLimiter("restart", 10, Duration.ofSeconds(1));
				HeldLock held = lock.tryAcquire("restart", Duration.ofMinutes(1)).orElseThrow();
				assertThat(limiter.tryAcquire("before")).isPresent();

				server.stop();
				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> lock.acquire("restart", Duration.ofMinutes(1), Duration.ofSeconds(5)))
					.withMessageContaining("Could not acquire lock 'restart'")
					.withMessageContaining("Redis");
				assertThatExceptionOfType(LockUnavailableException.class).isThrownBy(held::release)
					.withMessageContaining("Could not release lock 'restart'");
				assertThatExceptionOfType(LimiterUnavailableException.class)
					.isThrownBy(() -> limiter.tryAcquire("during"))
					.withMessageContaining("limiter 'restart'");
				assertThatExceptionOfType(LimiterUnavailableException.class)
					.isThrownBy(() -> rate.tryAcquire("during"));

				server.restart();
				// without persistence the restarted server has forgotten every lock and
				// place
				HeldLock after = await().atMost(Duration.ofSeconds(30))
					.ignoreExceptions()
					.until(() -> lock.tryAcquire("restart", Duration.ofMinutes(1)).orElse(null),
							(taken) -> taken != null);
				assertThat(after.isHeld()).isTrue();
				assertThat(limiter.tryAcquire("after")).isPresent();
				assertThat(rate.tryAcquire("after").allowed()).isTrue();
				assertThat(after.release()).isTrue();
			}
			finally {
				lock.close();
				limiters.close();
				connections.destroy();
			}
		}
	}

	@Test
	void anApplicationStartsWhileRedisIsDownAndLocksOnceItIsUp() {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			server.stop();
			LettuceConnectionFactory connections = RedisConnections.start("127.0.0.1", server.port(),
					Duration.ofSeconds(1));
			RedisDistributedLock lock = new RedisDistributedLock(connections, "celeriac:");
			RedisLimiters limiters = new RedisLimiters(connections, "celeriac:");
			try {
				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> lock.tryAcquire("late", Duration.ofMinutes(1)));
				server.restart();
				HeldLock held = await().atMost(Duration.ofSeconds(30))
					.ignoreExceptions()
					.until(() -> lock.tryAcquire("late", Duration.ofMinutes(1)).orElse(null), (taken) -> taken != null);
				assertThat(held.release()).isTrue();
				assertThat(limiters.limiter("late", 1, Duration.ofMinutes(1)).tryAcquire("holder")).isPresent();
			}
			finally {
				lock.close();
				limiters.close();
				connections.destroy();
			}
		}
	}

}

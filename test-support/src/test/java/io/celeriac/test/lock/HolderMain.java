package io.celeriac.test.lock;

import java.time.Duration;

import io.celeriac.limit.Permit;
import io.celeriac.limit.redis.RedisLimiters;
import io.celeriac.lock.HeldLock;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.test.redis.RedisConnections;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The child process of {@link HolderKilledTests}: takes a lock or a limiter place, says
 * {@code HELD <fencing token>}, and then holds it until it is killed.
 *
 * <p>
 * Arguments: {@code host port keyPrefix lock|permit key expiresMillis}.
 *
 * @author Celeriac team
 */
public final class HolderMain {

	private HolderMain() {
	}

	public static void main(String[] arguments) throws Exception {
		LettuceConnectionFactory connections = RedisConnections.start(arguments[0], Integer.parseInt(arguments[1]));
		String prefix = arguments[2];
		String key = arguments[4];
		Duration expires = Duration.ofMillis(Long.parseLong(arguments[5]));
		if (arguments[3].equals("lock")) {
			HeldLock held = new RedisDistributedLock(connections, prefix).acquire(key, expires, Duration.ofSeconds(10));
			System.out.println("HELD " + held.fencingToken());
		}
		else {
			Permit permit = new RedisLimiters(connections, prefix).limiter(key, 1, expires)
				.acquire("child", Duration.ofSeconds(10));
			System.out.println("HELD " + permit.key());
		}
		System.out.flush();
		// hold until killed
		Thread.currentThread().join();
	}

}

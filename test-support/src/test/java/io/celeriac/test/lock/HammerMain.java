package io.celeriac.test.lock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.test.redis.RedisConnections;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The child process of {@link MutualExclusionAcrossProcessesTests}: says {@code READY},
 * waits for {@code GO}, runs a {@link CounterHammer} under the lock and says
 * {@code DONE}.
 *
 * <p>
 * Arguments: {@code host port keyPrefix lockKey counterKey threads iterations}.
 *
 * @author Celeriac team
 */
public final class HammerMain {

	private HammerMain() {
	}

	public static void main(String[] arguments) throws Exception {
		LettuceConnectionFactory connections = RedisConnections.start(arguments[0], Integer.parseInt(arguments[1]));
		RedisDistributedLock lock = new RedisDistributedLock(connections, arguments[2]);
		CounterHammer hammer = new CounterHammer(new StringRedisTemplate(connections), lock, arguments[3],
				arguments[4]);
		System.out.println("READY");
		System.out.flush();
		BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		if (!"GO".equals(input.readLine())) {
			System.exit(2);
		}
		hammer.run(Integer.parseInt(arguments[5]), Integer.parseInt(arguments[6]));
		System.out.println("DONE");
		System.out.flush();
		lock.close();
		connections.destroy();
		System.exit(0);
	}

}

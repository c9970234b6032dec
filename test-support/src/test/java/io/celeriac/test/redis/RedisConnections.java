package io.celeriac.test.redis;

import java.time.Duration;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Starts Spring Data Redis connection factories on a standalone server for tests.
 *
 * @author Celeriac team
 */
public final class RedisConnections {

	private RedisConnections() {
	}

	/**
	 * Returns a started connection factory.
	 * @param host the server's host
	 * @param port the server's port
	 * @param timeout how long a command may take before it fails
	 * @return the connection factory
	 */
	public static LettuceConnectionFactory start(String host, int port, Duration timeout) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port),
				LettuceClientConfiguration.builder().commandTimeout(timeout).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * Returns a started connection factory with a 10 second command timeout.
	 * @param host the server's host
	 * @param port the server's port
	 * @return the connection factory
	 */
	public static LettuceConnectionFactory start(String host, int port) {
		return start(host, port, Duration.ofSeconds(10));
	}

}

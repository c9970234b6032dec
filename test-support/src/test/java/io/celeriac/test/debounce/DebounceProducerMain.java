package io.celeriac.test.debounce;

import java.time.Duration;

import io.celeriac.debounce.DebounceDecision;
import io.celeriac.debounce.redis.RedisDebouncer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A producer process for {@link RedisDebouncerTests}: connects, says {@code ready}, waits
 * for a token on the start list so that every producer begins together, makes the given
 * number of identical debounced calls as fast as it can, and prints each outcome.
 * <p>
 * Arguments: host, port, key prefix, call key, window in ms, always delay
 * ({@code true}/{@code false}), number of calls, start list key.
 *
 * @author Celeriac team
 */
public final class DebounceProducerMain {

	private DebounceProducerMain() {
	}

	public static void main(String[] args) {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(args[0], Integer.parseInt(args[1])));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		RedisDebouncer debouncer = new RedisDebouncer(connectionFactory, args[2]);
		Duration window = Duration.ofMillis(Long.parseLong(args[4]));
		boolean alwaysDelay = Boolean.parseBoolean(args[5]);
		int calls = Integer.parseInt(args[6]);
		StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
		System.out.println("ready");
		redis.opsForList().leftPop(args[7], Duration.ofSeconds(60));
		for (int i = 0; i < calls; i++) {
			DebounceDecision decision = debouncer.decide(args[3], window, alwaysDelay);
			System.out.println("outcome " + decision.outcome() + " " + decision.delay().toMillis());
		}
		System.out.println("done");
		connectionFactory.destroy();
	}

}

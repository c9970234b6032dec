package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.test.services.RedisEndpoint;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A worker in a child JVM for {@link RedisBrokerTests}: consumes a Redis broker queue,
 * prints what it holds and holds it until killed. Arguments: host, port, key prefix,
 * queue, visibility timeout in milliseconds.
 *
 * @author Celeriac team
 */
public final class RedisConsumerMain {

	private RedisConsumerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		LettuceConnectionFactory factory = RedisTestBroker
			.connectionFactory(new RedisEndpoint(args[0], Integer.parseInt(args[1])));
		RedisBroker broker = new RedisBroker(factory, args[2], Duration.ofMillis(Long.parseLong(args[4])),
				Duration.ofSeconds(1));
		CountDownLatch never = new CountDownLatch(1);
		broker.consume(args[3], new ConsumerSettings(1, 1), (delivery) -> {
			System.out.println("holding " + new String(delivery.message().body(), StandardCharsets.UTF_8));
			System.out.flush();
			try {
				never.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		never.await();
	}

}

package io.celeriac.broker.redis;

import java.time.Duration;
import java.util.function.Consumer;

import io.celeriac.broker.Subscription;
import io.celeriac.protocol.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Fanout exchanges as kombu's Redis transport runs them (Celery's pidbox and events):
 * Redis pub/sub on the channel {@code /<db>.<exchange>}, with {@code /<routing key>}
 * appended when there is one (kombu's {@code fanout_patterns}); only subscribers
 * listening at that moment receive a message.
 *
 * @author Celeriac team
 */
final class RedisFanout {

	private static final Logger logger = LoggerFactory.getLogger(RedisFanout.class);

	private final RedisConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final RedisMessageCodec codec;

	RedisFanout(RedisConnectionFactory connectionFactory, RedisKeys keys, RedisMessageCodec codec) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.codec = codec;
	}

	long publish(String exchange, String routingKey, WireMessage message, long expiresAt) {
		byte[] payload = this.codec.encode(message, exchange, routingKey, expiresAt);
		try (var connection = this.connectionFactory.getConnection()) {
			Long received = connection.publish(RedisKeys.bytes(this.keys.fanoutChannel(exchange, routingKey)), payload);
			return (received != null) ? received : 0;
		}
	}

	Subscription subscribe(String exchange, String bindingKey, Consumer<WireMessage> listener) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.connectionFactory);
		container.setTaskExecutor(new SyncTaskExecutor());
		container.addMessageListener((message, pattern) -> {
			WireMessage received = this.codec.decode(message.getBody(), "").message();
			if (received.unreadableReason() != null) {
				logger.warn("A message from fanout exchange '{}' was dropped: {}", exchange,
						received.unreadableReason());
				return;
			}
			try {
				listener.accept(received);
			}
			catch (RuntimeException ex) {
				logger.warn("A message from fanout exchange '{}' could not be handled", exchange, ex);
			}
		}, new PatternTopic(this.keys.fanoutChannel(exchange, bindingKey.replace('#', '*'))));
		container.afterPropertiesSet();
		container.start();
		return new Subscription() {

			@Override
			public void stop(Duration timeout) {
				try {
					container.destroy();
				}
				catch (Exception ex) {
					logger.debug("Could not stop listening to fanout exchange '{}'", exchange, ex);
				}
			}

			@Override
			public boolean isRunning() {
				return container.isRunning();
			}

		};
	}

}

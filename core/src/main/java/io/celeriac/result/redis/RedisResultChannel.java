package io.celeriac.result.redis;

import io.celeriac.result.ResultChannel;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Tells waiters that a result was saved, from the message Celery's Redis backend (and
 * {@link RedisResultStore}) publishes on {@code celery-task-meta-<id>} with every save.
 * One subscriber connection serves every waiter.
 *
 * @author Celeriac team
 */
public class RedisResultChannel implements ResultChannel, DisposableBean {

	private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

	private final String keyPrefix;

	/**
	 * Creates a channel and starts its subscriber.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix the prefix the store puts before Celery's keys, as
	 * {@link RedisResultStore}
	 */
	public RedisResultChannel(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.keyPrefix = keyPrefix;
		this.container.setConnectionFactory(connectionFactory);
		// after a connection loss, subscribe again soon after Redis is back (the
		// container's default waits 5 s; meanwhile watchers fall back to polling)
		this.container.setRecoveryInterval(500);
		this.container.afterPropertiesSet();
		this.container.start();
	}

	@Override
	public AutoCloseable subscribe(String taskId, Runnable onSaved) {
		ChannelTopic topic = new ChannelTopic(this.keyPrefix + RedisResultStore.KEY_PREFIX + taskId);
		MessageListener listener = (message, pattern) -> onSaved.run();
		this.container.addMessageListener(listener, topic);
		return () -> this.container.removeMessageListener(listener, topic);
	}

	@Override
	public void destroy() throws Exception {
		this.container.destroy();
	}

}

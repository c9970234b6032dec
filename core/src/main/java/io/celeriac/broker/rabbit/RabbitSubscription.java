package io.celeriac.broker.rabbit;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.Subscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Consumes one queue with Spring AMQP's listener container in manual acknowledgement
 * mode: the handler settles each delivery, and a delivery the handler neither settled nor
 * survived goes back to the queue.
 *
 * @author Celeriac team
 */
final class RabbitSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(RabbitSubscription.class);

	private final SimpleMessageListenerContainer container;

	private final Set<RabbitDelivery> inHand = ConcurrentHashMap.newKeySet();

	RabbitSubscription(ConnectionFactory connectionFactory, String queue, ConsumerSettings settings,
			DeliveryHandler handler, AtomicLong inFlight) {
		this.container = new SimpleMessageListenerContainer(connectionFactory);
		this.container.setBeanName("celeriac-" + queue);
		this.container.setQueueNames(queue);
		this.container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		this.container.setConcurrentConsumers(settings.concurrency());
		this.container.setPrefetchCount(settings.prefetch());
		this.container.setDefaultRequeueRejected(true);
		this.container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
			RabbitDelivery delivery = new RabbitDelivery(
					RabbitBroker.toWire(message.getBody(), message.getMessageProperties()), queue,
					String.valueOf(message.getMessageProperties().getReceivedRoutingKey()),
					Boolean.TRUE.equals(message.getMessageProperties().isRedelivered()), channel,
					message.getMessageProperties().getDeliveryTag(), false, inFlight);
			this.inHand.add(delivery);
			try {
				handler.handle(delivery);
			}
			catch (RuntimeException ex) {
				logger.error("Delivery from queue '" + queue + "' failed unexpectedly; it goes back to the queue", ex);
				if (!delivery.isSettled()) {
					delivery.reject(true);
				}
			}
			finally {
				this.inHand.remove(delivery);
			}
		});
		this.container.afterPropertiesSet();
		this.container.start();
	}

	@Override
	public void stop(Duration timeout) {
		this.container.setShutdownTimeout(Math.max(1, timeout.toMillis()));
		this.container.stop();
		this.container.destroy();
		// the closed channels gave what was in hand back to RabbitMQ
		this.inHand.forEach(RabbitDelivery::abandon);
	}

	@Override
	public boolean isRunning() {
		return this.container.isRunning();
	}

}

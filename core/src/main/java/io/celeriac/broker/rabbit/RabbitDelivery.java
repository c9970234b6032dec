package io.celeriac.broker.rabbit;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import io.celeriac.broker.Delivery;
import io.celeriac.protocol.WireMessage;

import org.springframework.amqp.AmqpIOException;

/**
 * A RabbitMQ delivery, settled on the channel it came from.
 *
 * @author Celeriac team
 */
final class RabbitDelivery implements Delivery {

	private final WireMessage message;

	private final String queue;

	private final String routingKey;

	private final boolean redelivered;

	private final Channel channel;

	private final long deliveryTag;

	private final boolean closeChannelWhenSettled;

	private final AtomicBoolean settled = new AtomicBoolean();

	RabbitDelivery(WireMessage message, String queue, String routingKey, boolean redelivered, Channel channel,
			long deliveryTag, boolean closeChannelWhenSettled) {
		this.message = message;
		this.queue = queue;
		this.routingKey = routingKey;
		this.redelivered = redelivered;
		this.channel = channel;
		this.deliveryTag = deliveryTag;
		this.closeChannelWhenSettled = closeChannelWhenSettled;
	}

	@Override
	public WireMessage message() {
		return this.message;
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public String routingKey() {
		return this.routingKey;
	}

	@Override
	public boolean redelivered() {
		return this.redelivered;
	}

	boolean isSettled() {
		return this.settled.get();
	}

	@Override
	public void ack() {
		if (this.settled.compareAndSet(false, true)) {
			try {
				this.channel.basicAck(this.deliveryTag, false);
			}
			catch (IOException ex) {
				throw new AmqpIOException(ex);
			}
			finally {
				closeIfOwned();
			}
		}
	}

	@Override
	public void reject(boolean requeue) {
		if (this.settled.compareAndSet(false, true)) {
			try {
				this.channel.basicReject(this.deliveryTag, requeue);
			}
			catch (IOException ex) {
				throw new AmqpIOException(ex);
			}
			finally {
				closeIfOwned();
			}
		}
	}

	private void closeIfOwned() {
		if (this.closeChannelWhenSettled) {
			RabbitBroker.closeQuietly(this.channel);
		}
	}

}

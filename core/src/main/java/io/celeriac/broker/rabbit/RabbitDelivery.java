package io.celeriac.broker.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

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

	/**
	 * The header in which a quorum queue counts the earlier deliveries of a message.
	 */
	static final String DELIVERY_COUNT_HEADER = "x-delivery-count";

	private final WireMessage message;

	private final String queue;

	private final String routingKey;

	private final boolean redelivered;

	private final Channel channel;

	private final long deliveryTag;

	private final boolean closeChannelWhenSettled;

	private final AtomicBoolean settled = new AtomicBoolean();

	private final LongConsumer inFlight;

	RabbitDelivery(WireMessage message, String queue, String routingKey, boolean redelivered, Channel channel,
			long deliveryTag, boolean closeChannelWhenSettled, LongConsumer inFlight) {
		this.message = message;
		this.queue = queue;
		this.routingKey = routingKey;
		this.redelivered = redelivered;
		this.channel = channel;
		this.deliveryTag = deliveryTag;
		this.closeChannelWhenSettled = closeChannelWhenSettled;
		this.inFlight = inFlight;
		inFlight.accept(1);
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

	/**
	 * Counts a first delivery {@code 1}; for a redelivery, reads the
	 * {@code x-delivery-count} header a quorum queue sets (the number of earlier
	 * deliveries that were not acknowledged). A classic queue does not count, so a
	 * redelivery from one is unknown. The header of a first delivery is not read: it
	 * could be a stale copy a publisher sent along (e.g. from the error queue).
	 */
	@Override
	public OptionalInt deliveryCount() {
		if (!this.redelivered) {
			return OptionalInt.of(1);
		}
		Object earlier = this.message.headers().get(DELIVERY_COUNT_HEADER);
		if (earlier instanceof Number number && number.longValue() >= 0 && number.longValue() < Integer.MAX_VALUE) {
			return OptionalInt.of(number.intValue() + 1);
		}
		return OptionalInt.empty();
	}

	boolean isSettled() {
		return this.settled.get();
	}

	/**
	 * Checks the extension and does nothing else: RabbitMQ has no visibility timeout, the
	 * delivery stays with this consumer for as long as its channel lives (up to the
	 * server's {@code consumer_timeout}).
	 */
	@Override
	public void touch(Duration extension) {
		Delivery.requirePositive(extension);
	}

	/**
	 * Marks the delivery settled without telling RabbitMQ, for a channel that closed and
	 * so gave it back.
	 */
	void abandon() {
		if (this.settled.compareAndSet(false, true)) {
			this.inFlight.accept(-1);
		}
	}

	@Override
	public void ack() {
		if (this.settled.compareAndSet(false, true)) {
			this.inFlight.accept(-1);
			try {
				requireOpenChannel();
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
			this.inFlight.accept(-1);
			try {
				requireOpenChannel();
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

	/**
	 * Refuses to settle on a closed channel: RabbitMQ gave the delivery back when it
	 * closed, and a delivery tag means nothing on another channel. Spring's cached
	 * channel would open a new channel (and connection) before it refused.
	 */
	private void requireOpenChannel() throws IOException {
		if (!this.channel.isOpen()) {
			throw new IOException("The channel of delivery " + this.deliveryTag + " from queue '" + this.queue
					+ "' is closed: RabbitMQ delivers the message again");
		}
	}

	private void closeIfOwned() {
		if (this.closeChannelWhenSettled) {
			RabbitBroker.closeQuietly(this.channel);
		}
	}

}

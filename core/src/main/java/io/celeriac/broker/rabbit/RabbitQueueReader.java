package io.celeriac.broker.rabbit;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueReader;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.AmqpResourceNotAvailableException;
import org.springframework.amqp.rabbit.connection.Connection;

/**
 * Reads a queue on one channel of the application's connection: each message is taken
 * with {@code basic.get} and manual acknowledgement, settled on that channel, and those
 * left stay unacknowledged there, so that RabbitMQ keeps them (in their place, not ready)
 * while only their count is held here. Closing the reader rejects them all with one
 * {@code basic.nack} (multiple, requeue), which puts each back where it was, and closes
 * the channel (which would give them back too). The channel is opened on the connection
 * itself, outside the connection factory's channel cache, so that no one else is handed a
 * channel with these deliveries on it. Each call is bounded by the connection's channel
 * RPC timeout, as {@link RabbitBroker#get(String)} is.
 *
 * @author Celeriac team
 */
final class RabbitQueueReader implements QueueReader {

	private final RabbitBroker broker;

	private final String queue;

	private final Channel channel;

	private final AtomicLong inFlight;

	private long held;

	private boolean closed;

	RabbitQueueReader(RabbitBroker broker, Connection connection, String queue, AtomicLong inFlight) {
		this.broker = broker;
		this.queue = queue;
		this.inFlight = inFlight;
		this.channel = openChannel(connection, queue);
	}

	private static Channel openChannel(Connection connection, String queue) {
		try {
			Channel channel = connection.getDelegate().createChannel();
			if (channel == null) {
				throw new AmqpResourceNotAvailableException(
						"The connection has no channel left to read queue '" + queue + "' on");
			}
			return channel;
		}
		catch (IOException ex) {
			throw new AmqpIOException("Could not open a channel to read queue '" + queue + "'", ex);
		}
	}

	@Override
	public synchronized @Nullable Delivery next() {
		if (this.closed) {
			throw new IllegalStateException("The reader of queue '" + this.queue + "' is closed");
		}
		GetResponse response;
		try {
			response = this.channel.basicGet(this.queue, false);
		}
		catch (IOException ex) {
			throw new AmqpIOException("Could not get a message from queue '" + this.queue + "'", ex);
		}
		if (response == null) {
			return null;
		}
		return this.broker.delivery(response, this.queue, this.channel, false, this::count);
	}

	/**
	 * Counts a delivery taken or settled, in this reader and in the queue's deliveries in
	 * flight, until the reader closes and gives back the rest.
	 */
	private synchronized void count(long delta) {
		if (!this.closed) {
			this.held += delta;
			this.inFlight.addAndGet(delta);
		}
	}

	@Override
	public int holdLimit() {
		return Integer.MAX_VALUE;
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		long held = this.held;
		this.inFlight.addAndGet(-held);
		this.held = 0;
		try {
			if (held > 0 && this.channel.isOpen()) {
				// tag 0 with multiple: every delivery still outstanding on the channel (a
				// settled tag would close the channel with PRECONDITION_FAILED)
				this.channel.basicNack(0, true, true);
			}
		}
		catch (IOException | RuntimeException ex) {
			// closing the channel gives them back as well
		}
		finally {
			RabbitBroker.closeQuietly(this.channel);
		}
	}

}

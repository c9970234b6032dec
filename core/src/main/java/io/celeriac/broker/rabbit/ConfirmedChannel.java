package io.celeriac.broker.rabbit;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.celeriac.broker.PublishFailedException;
import org.jspecify.annotations.Nullable;

/**
 * A raw channel in confirm mode and the publishes it has not had confirmed yet, by
 * sequence number. Its listeners settle only its own publishes.
 *
 * @author Celeriac team
 */
final class ConfirmedChannel {

	private final Channel channel;

	private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();

	private ConfirmedChannel(Channel channel) {
		this.channel = channel;
		channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
				(tag, multiple) -> settle(tag, multiple, "RabbitMQ refused the message (nack)"));
		channel.addShutdownListener(
				(cause) -> failAll("the channel closed before RabbitMQ confirmed the message: " + cause.getMessage()));
	}

	/**
	 * Puts a raw channel in confirm mode; a channel that cannot be is closed, so that it
	 * does not stay open on the connection, unused.
	 * @param channel a channel just opened
	 * @return the channel in confirm mode
	 * @throws IOException if {@code confirm.select} failed
	 */
	static ConfirmedChannel select(Channel channel) throws IOException {
		try {
			channel.confirmSelect();
		}
		catch (IOException | RuntimeException ex) {
			RabbitBroker.closeQuietly(channel);
			throw ex;
		}
		return new ConfirmedChannel(channel);
	}

	boolean isOpen() {
		return this.channel.isOpen();
	}

	void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
			CompletableFuture<Void> confirmed) throws IOException {
		long sequence = this.channel.getNextPublishSeqNo();
		this.pending.put(sequence, confirmed);
		try {
			this.channel.basicPublish(exchange, routingKey, false, properties, body);
		}
		catch (IOException | RuntimeException ex) {
			this.pending.remove(sequence);
			throw ex;
		}
	}

	private void settle(long tag, boolean multiple, @Nullable String refusal) {
		Map<Long, CompletableFuture<Void>> settled = multiple ? this.pending.headMap(tag, true)
				: this.pending.subMap(tag, true, tag, true);
		for (Map.Entry<Long, CompletableFuture<Void>> entry : settled.entrySet()) {
			if (this.pending.remove(entry.getKey()) != null) {
				if (refusal == null) {
					entry.getValue().complete(null);
				}
				else {
					entry.getValue().completeExceptionally(new PublishFailedException(refusal));
				}
			}
		}
	}

	private void failAll(String reason) {
		for (Long sequence : this.pending.keySet()) {
			CompletableFuture<Void> future = this.pending.remove(sequence);
			if (future != null) {
				future.completeExceptionally(new PublishFailedException(reason));
			}
		}
	}

	/**
	 * Fails the publishes not confirmed yet, then closes the channel on a thread of its
	 * own: closing waits for the channel's lock, which a write that hangs (a connection
	 * RabbitMQ blocks, a peer gone away) holds until the connection ends.
	 */
	void close() {
		failAll("the publisher closed before RabbitMQ confirmed the message");
		Thread closing = new Thread(() -> RabbitBroker.closeQuietly(this.channel), "celeriac-publisher-close");
		closing.setDaemon(true);
		closing.start();
	}

}

package io.celeriac.broker.rabbit;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.celeriac.broker.PublishFailedException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Publishes with confirms on a few long-lived channels, each publish completing its own
 * future when RabbitMQ confirms it. Spring AMQP's template keeps a channel out of its
 * cache until every confirm of that channel arrived, so with many messages in flight it
 * opens a channel per message; this keeps any number in flight on a handful of channels,
 * as RabbitMQ's own clients do.
 *
 * @author Celeriac team
 */
final class ConfirmingPublisher {

	private final ConnectionFactory connectionFactory;

	private final Lane[] lanes;

	private final AtomicInteger next = new AtomicInteger();

	ConfirmingPublisher(ConnectionFactory connectionFactory, int channels) {
		this.connectionFactory = connectionFactory;
		this.lanes = new Lane[channels];
		for (int i = 0; i < channels; i++) {
			this.lanes[i] = new Lane();
		}
	}

	CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
		Lane lane = this.lanes[Math.floorMod(this.next.getAndIncrement(), this.lanes.length)];
		return lane.publish(exchange, routingKey, properties, body);
	}

	/**
	 * One channel in confirm mode and the publishes it has not had confirmed yet, by
	 * sequence number.
	 */
	private final class Lane {

		private @Nullable Channel channel;

		private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();

		synchronized CompletableFuture<Void> publish(String exchange, String routingKey,
				AMQP.BasicProperties properties, byte[] body) {
			CompletableFuture<Void> confirmed = new CompletableFuture<>();
			try {
				Channel open = channel();
				long sequence = open.getNextPublishSeqNo();
				this.pending.put(sequence, confirmed);
				open.basicPublish(exchange, routingKey, false, properties, body);
			}
			catch (IOException | RuntimeException ex) {
				this.channel = null;
				confirmed.completeExceptionally(new PublishFailedException(
						"Could not publish to exchange '" + exchange + "' with routing key '" + routingKey + "'", ex));
			}
			return confirmed;
		}

		private Channel channel() throws IOException {
			Channel current = this.channel;
			if (current != null && current.isOpen()) {
				return current;
			}
			failAll("the channel closed before RabbitMQ confirmed the message");
			Channel opened = ConfirmingPublisher.this.connectionFactory.createConnection().createChannel(false);
			opened.confirmSelect();
			opened.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
					(tag, multiple) -> settle(tag, multiple, "RabbitMQ refused the message (nack)"));
			opened.addShutdownListener((cause) -> failAll("the channel closed: " + cause.getMessage()));
			this.channel = opened;
			return opened;
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

	}

}

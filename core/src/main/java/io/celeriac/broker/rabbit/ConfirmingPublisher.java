package io.celeriac.broker.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>
 * The channels are the client library's own, taken from the connection's delegate rather
 * than through Spring's caching proxy: a proxy replaces a closed channel behind the
 * caller's back with a new one that is not in confirm mode, whose publishes would never
 * be confirmed. Confirms are tracked per channel, so a confirm (or the close) of a
 * replaced channel never settles a publish of its successor.
 * <p>
 * Every publish completes within the confirm timeout: waiting for its lane, for a new
 * channel after RabbitMQ went away, and for the confirm all count against it. Channels
 * are opened on a thread of the publisher's own, so a connection attempt that takes the
 * client library's connection timeout (60 s by default) never holds a caller; after a
 * failed attempt, publishes fail at once for {@link #RECONNECT_PAUSE} before the next
 * attempt, so that an outage costs the callers nothing and RabbitMQ's return is noticed
 * within that pause. While RabbitMQ blocks the connection (a memory or disk alarm), it
 * reads nothing more from it, so a publish would write until the socket's buffers are
 * full and then hang in the write: publishes wait for the block to be lifted instead,
 * until their deadline.
 *
 * @author Celeriac team
 */
final class ConfirmingPublisher implements AutoCloseable {

	/**
	 * How long publishes fail at once after a failed connection attempt, before the next
	 * publish tries again.
	 */
	static final Duration RECONNECT_PAUSE = Duration.ofMillis(200);

	private final ConnectionFactory connectionFactory;

	private final Duration confirmTimeout;

	private final Lane[] lanes;

	private final AtomicInteger next = new AtomicInteger();

	private final ExecutorService opener;

	private volatile @Nullable Failure lastFailure;

	/**
	 * The connection whose block notifications are followed; only the opener thread
	 * changes it.
	 */
	private volatile com.rabbitmq.client.@Nullable Connection watched;

	/**
	 * Why RabbitMQ blocks the publishing connection, or {@code null} while it does not;
	 * changed under {@link #blocking}, whose waiters it wakes.
	 */
	private volatile @Nullable String blocked;

	private final Object blocking = new Object();

	private volatile boolean closed;

	/**
	 * Creates a publisher.
	 * @param connectionFactory where the channels' connection comes from; its
	 * connection's delegate gives the raw channels
	 * @param channels how many channels publish side by side
	 * @param confirmTimeout how long a publish may take in all
	 */
	ConfirmingPublisher(ConnectionFactory connectionFactory, int channels, Duration confirmTimeout) {
		this.connectionFactory = connectionFactory;
		this.confirmTimeout = confirmTimeout;
		this.lanes = new Lane[channels];
		for (int i = 0; i < channels; i++) {
			this.lanes[i] = new Lane();
		}
		this.opener = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "celeriac-publisher-connect");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Publishes a message.
	 * @return a future completed when RabbitMQ confirms the message, or exceptionally
	 * with {@link PublishFailedException} when it could not be sent or RabbitMQ refused
	 * it, and with {@link TimeoutException} when the confirm timeout passed first
	 */
	CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
		long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
		String blockedFor = awaitUnblocked(deadline);
		if (blockedFor != null) {
			return CompletableFuture.failedFuture(new PublishFailedException(
					"RabbitMQ has blocked publishing for longer than " + this.confirmTimeout + ": " + blockedFor));
		}
		Lane lane = this.lanes[Math.floorMod(this.next.getAndIncrement(), this.lanes.length)];
		CompletableFuture<Void> confirmed = lane.publish(exchange, routingKey, properties, body, deadline);
		return confirmed.orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

	/**
	 * Waits until RabbitMQ no longer blocks the publishing connection, or the deadline.
	 * @return why it still blocks it, or {@code null} if it does not
	 */
	private @Nullable String awaitUnblocked(long deadline) {
		String reason = this.blocked;
		if (reason == null) {
			return null;
		}
		synchronized (this.blocking) {
			long remaining;
			while ((reason = this.blocked) != null && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.blocking, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return reason;
				}
			}
			return reason;
		}
	}

	/**
	 * Follows the block notifications of the publishing connection; a new connection
	 * starts unblocked, and so does a lost one, so that the next publish connects again.
	 */
	private void watch(com.rabbitmq.client.Connection connection) {
		if (connection == this.watched) {
			return;
		}
		this.watched = connection;
		block(connection, null);
		connection.addBlockedListener((reason) -> block(connection, reason), () -> block(connection, null));
		connection.addShutdownListener((cause) -> block(connection, null));
	}

	private void block(com.rabbitmq.client.Connection connection, @Nullable String reason) {
		synchronized (this.blocking) {
			// a late notification of a connection replaced since changes nothing
			if (connection == this.watched) {
				this.blocked = reason;
				this.blocking.notifyAll();
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.opener.shutdownNow();
		for (Lane lane : this.lanes) {
			lane.close();
		}
	}

	private PublishFailedException failure(String exchange, String routingKey, Throwable cause) {
		return new PublishFailedException("Could not publish to exchange '" + exchange + "' with routing key '"
				+ routingKey + "': " + cause.getMessage(), cause);
	}

	/**
	 * A failed connection attempt, kept for {@link #RECONNECT_PAUSE}.
	 */
	private record Failure(long at, Throwable cause) {

	}

	/**
	 * One channel at a time in confirm mode, and the publishes it is opening a channel
	 * for.
	 */
	private final class Lane {

		private final ReentrantLock lock = new ReentrantLock();

		private @Nullable ConfirmedChannel channel;

		private @Nullable CompletableFuture<ConfirmedChannel> opening;

		CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
				byte[] body, long deadline) {
			CompletableFuture<Void> confirmed = new CompletableFuture<>();
			try {
				if (!this.lock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
					confirmed.completeExceptionally(new PublishFailedException(
							"No publishing channel was free within " + ConfirmingPublisher.this.confirmTimeout));
					return confirmed;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				confirmed.completeExceptionally(failure(exchange, routingKey, ex));
				return confirmed;
			}
			try {
				channel(deadline).publish(exchange, routingKey, properties, body, confirmed);
			}
			catch (IOException | RuntimeException ex) {
				confirmed.completeExceptionally(
						(ex instanceof PublishFailedException) ? ex : failure(exchange, routingKey, ex));
			}
			finally {
				this.lock.unlock();
			}
			return confirmed;
		}

		/**
		 * Returns the lane's open channel, opening one (on the opener thread) if it has
		 * none, waiting for it until the deadline.
		 */
		private ConfirmedChannel channel(long deadline) {
			ConfirmedChannel current = this.channel;
			if (current != null && current.isOpen()) {
				return current;
			}
			this.channel = null;
			if (ConfirmingPublisher.this.closed) {
				throw new PublishFailedException("The publisher is closed");
			}
			if (this.opening == null) {
				Failure failed = ConfirmingPublisher.this.lastFailure;
				if (failed != null && System.nanoTime() - failed.at() < RECONNECT_PAUSE.toNanos()) {
					throw new PublishFailedException("RabbitMQ could not be reached: " + failed.cause().getMessage(),
							failed.cause());
				}
				this.opening = CompletableFuture.supplyAsync(this::open, ConfirmingPublisher.this.opener);
			}
			try {
				ConfirmedChannel opened = this.opening.get(Math.max(0, deadline - System.nanoTime()),
						TimeUnit.NANOSECONDS);
				this.opening = null;
				this.channel = opened;
				return opened;
			}
			catch (TimeoutException ex) {
				// the attempt goes on; the next publish of this lane waits for it again
				throw new PublishFailedException(
						"RabbitMQ could not be reached within " + ConfirmingPublisher.this.confirmTimeout, ex);
			}
			catch (ExecutionException ex) {
				this.opening = null;
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw new PublishFailedException("RabbitMQ could not be reached: " + cause.getMessage(), cause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new PublishFailedException("Interrupted while connecting to RabbitMQ", ex);
			}
		}

		private ConfirmedChannel open() {
			try {
				com.rabbitmq.client.Connection connection = ConfirmingPublisher.this.connectionFactory
					.createConnection()
					.getDelegate();
				watch(connection);
				Channel raw = connection.createChannel();
				if (raw == null) {
					throw new PublishFailedException("RabbitMQ has no channel left on the publishing connection");
				}
				ConfirmingPublisher.this.lastFailure = null;
				return new ConfirmedChannel(raw);
			}
			catch (IOException | RuntimeException ex) {
				ConfirmingPublisher.this.lastFailure = new Failure(System.nanoTime(), ex);
				throw (ex instanceof RuntimeException runtime) ? runtime
						: new PublishFailedException(ex.getMessage(), ex);
			}
		}

		void close() {
			this.lock.lock();
			try {
				if (this.channel != null) {
					this.channel.close();
					this.channel = null;
				}
			}
			finally {
				this.lock.unlock();
			}
		}

	}

	/**
	 * A raw channel in confirm mode and the publishes it has not had confirmed yet, by
	 * sequence number. Its listeners settle only its own publishes.
	 */
	private static final class ConfirmedChannel {

		private final Channel channel;

		private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> pending = new ConcurrentSkipListMap<>();

		ConfirmedChannel(Channel channel) throws IOException {
			this.channel = channel;
			channel.confirmSelect();
			channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
					(tag, multiple) -> settle(tag, multiple, "RabbitMQ refused the message (nack)"));
			channel.addShutdownListener((cause) -> failAll(
					"the channel closed before RabbitMQ confirmed the message: " + cause.getMessage()));
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

		void close() {
			RabbitBroker.closeQuietly(this.channel);
			failAll("the publisher closed before RabbitMQ confirmed the message");
		}

	}

}

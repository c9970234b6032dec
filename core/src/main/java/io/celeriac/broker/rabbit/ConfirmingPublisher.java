package io.celeriac.broker.rabbit;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.PublishTimeoutException;
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
 * channel after RabbitMQ went away, for its write and for the confirm all count against
 * it. Channels are opened on a thread of the publisher's own, so a connection attempt
 * that takes the client library's connection timeout (60 s by default) never holds a
 * caller; after a failed attempt, publishes fail at once for {@link #RECONNECT_PAUSE}
 * before the next attempt, so that an outage costs the callers nothing and RabbitMQ's
 * return is noticed within that pause. While RabbitMQ blocks the connection (a memory or
 * disk alarm), it reads nothing more from it, so a publish would write until the socket's
 * buffers are full and then hang in the write: publishes wait for the block to be lifted
 * instead, until their deadline. A block that comes after that check, or a connection
 * whose peer went away without closing it, still holds a write: each lane therefore
 * writes on a thread of its own, and the caller waits for it only until the deadline. The
 * write goes on, and its message may still be confirmed once RabbitMQ reads again; the
 * messages handed to that lane after it fail at their own deadline and are not written
 * once it is past.
 *
 * @author Celeriac team
 */
final class ConfirmingPublisher implements AutoCloseable {

	/**
	 * How long publishes fail at once after a failed connection attempt, before the next
	 * publish tries again.
	 */
	static final Duration RECONNECT_PAUSE = Duration.ofMillis(200);

	/**
	 * The most messages handed to a channel's writing thread and not written yet: while a
	 * write hangs, the messages behind it wait only until their deadline, but their
	 * number is bounded too.
	 */
	static final int MOST_WAITING_WRITES = 10_000;

	private final ConnectionFactory connectionFactory;

	private final Duration confirmTimeout;

	private final Lane[] lanes;

	private final AtomicInteger next = new AtomicInteger();

	private final ExecutorService opener;

	private volatile @Nullable Failure lastFailure;

	private final ConnectionBlock block = new ConnectionBlock();

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
			this.lanes[i] = new Lane(i);
		}
		this.opener = Executors.newSingleThreadExecutor(daemon("celeriac-publisher-connect"));
	}

	/**
	 * Publishes a message.
	 * @return a future completed when RabbitMQ confirms the message, or exceptionally
	 * with {@link PublishFailedException} when it could not be sent or RabbitMQ refused
	 * it, and with {@link PublishTimeoutException} when the confirm timeout passed first
	 * (whose confirmation is RabbitMQ's answer, however late)
	 */
	CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
		long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
		String blockedFor = this.block.awaitLifted(deadline);
		if (blockedFor != null) {
			return CompletableFuture.failedFuture(new PublishFailedException(
					"RabbitMQ has blocked publishing for longer than " + this.confirmTimeout + ": " + blockedFor));
		}
		Lane lane = this.lanes[Math.floorMod(this.next.getAndIncrement(), this.lanes.length)];
		CompletableFuture<Void> answer = lane.publish(exchange, routingKey, properties, body, deadline);
		if (answer.isDone()) {
			return answer;
		}
		// the caller's copy times out; the answer stays open for a late confirm
		return answer.copy()
			.orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
			.exceptionallyCompose(
					(failure) -> CompletableFuture.failedFuture((failure instanceof TimeoutException)
							? new PublishTimeoutException(
									"RabbitMQ did not confirm the message within " + this.confirmTimeout, answer)
							: unwrap(failure)));
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	@Override
	public void close() {
		this.closed = true;
		this.opener.shutdownNow();
		for (Lane lane : this.lanes) {
			lane.close();
		}
	}

	private static ThreadFactory daemon(String name) {
		return (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		};
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
	 * One channel at a time in confirm mode, the publishes it is opening a channel for,
	 * and the thread that writes to it.
	 */
	private final class Lane {

		/**
		 * Taken by a publish while it finds the lane's channel and hands its message to
		 * the lane's thread; only its holder touches the channel and the opening.
		 */
		private final Semaphore turn = new Semaphore(1);

		/**
		 * Writes the lane's messages in the order they were handed over. Its queue is
		 * bounded: while a write hangs, the messages behind it fail at their deadline,
		 * and past {@link #MOST_WAITING_WRITES} new ones are refused at once.
		 */
		private final ThreadPoolExecutor writer;

		private @Nullable ConfirmedChannel channel;

		private @Nullable CompletableFuture<ConfirmedChannel> opening;

		Lane(int number) {
			this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.NANOSECONDS,
					new LinkedBlockingQueue<>(MOST_WAITING_WRITES), daemon("celeriac-publisher-write-" + number));
		}

		/**
		 * Hands a message to the lane's thread to write, once the lane has a channel,
		 * waiting for it until the deadline. The caller does not wait for the write: a
		 * write that hangs holds the lane's thread, never the caller, and a message whose
		 * deadline passed before its write began is not written.
		 * @return the message's answer: completed at its confirm, or exceptionally when
		 * it could not be written or was refused; still open while the write or its
		 * confirm has not ended
		 */
		CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
				byte[] body, long deadline) {
			CompletableFuture<Void> answer = new CompletableFuture<>();
			try {
				if (!this.turn.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
					answer.completeExceptionally(new PublishFailedException(
							"No publishing channel was free within " + ConfirmingPublisher.this.confirmTimeout));
					return answer;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				answer.completeExceptionally(failure(exchange, routingKey, ex));
				return answer;
			}
			try {
				ConfirmedChannel target = channel(deadline);
				this.writer.execute(() -> write(target, exchange, routingKey, properties, body, deadline, answer));
			}
			catch (RuntimeException ex) {
				answer.completeExceptionally((ex instanceof PublishFailedException) ? ex
						: (ex instanceof RejectedExecutionException)
								? new PublishFailedException(
										ConfirmingPublisher.this.closed ? "The publisher is closed"
												: "The publishing channel " + "has not written the "
														+ MOST_WAITING_WRITES + " messages handed to it")
								: failure(exchange, routingKey, ex));
			}
			finally {
				release();
			}
			return answer;
		}

		private void write(ConfirmedChannel target, String exchange, String routingKey, AMQP.BasicProperties properties,
				byte[] body, long deadline, CompletableFuture<Void> answer) {
			if (System.nanoTime() - deadline > 0) {
				// the caller was told it timed out; written now, it could still be
				// confirmed
				// after the caller sent it again
				answer.completeExceptionally(new PublishFailedException("The message was not written within "
						+ ConfirmingPublisher.this.confirmTimeout + ": the writes before it on its channel were held"));
				return;
			}
			try {
				target.publish(exchange, routingKey, properties, body, answer);
			}
			catch (IOException | RuntimeException ex) {
				answer.completeExceptionally(failure(exchange, routingKey, ex));
			}
		}

		/**
		 * Gives the turn back; once the publisher is closed, whoever can take the turn
		 * then closes what the lane holds, so that a channel opened or written to while
		 * {@link #close()} ran is closed all the same.
		 */
		private void release() {
			this.turn.release();
			if (ConfirmingPublisher.this.closed && this.turn.tryAcquire()) {
				try {
					discard();
				}
				finally {
					this.turn.release();
				}
			}
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
				ConfirmingPublisher.this.block.watch(connection);
				Channel raw = connection.createChannel();
				if (raw == null) {
					throw new PublishFailedException("RabbitMQ has no channel left on the publishing connection");
				}
				ConfirmedChannel opened = ConfirmedChannel.select(raw);
				ConfirmingPublisher.this.lastFailure = null;
				if (ConfirmingPublisher.this.closed) {
					opened.close();
					throw new PublishFailedException("The publisher is closed");
				}
				return opened;
			}
			catch (IOException | RuntimeException ex) {
				ConfirmingPublisher.this.lastFailure = new Failure(System.nanoTime(), ex);
				throw (ex instanceof RuntimeException runtime) ? runtime
						: new PublishFailedException(ex.getMessage(), ex);
			}
		}

		/**
		 * Closes the lane's channel without waiting for a write that hangs; the messages
		 * handed to the lane's thread and not written yet fail.
		 */
		void close() {
			this.writer.shutdown();
			if (this.turn.tryAcquire()) {
				try {
					discard();
				}
				finally {
					this.turn.release();
				}
			}
		}

		/**
		 * Closes the channel, and the one being opened once it is open; only with the
		 * turn.
		 */
		private void discard() {
			if (this.channel != null) {
				this.channel.close();
				this.channel = null;
			}
			if (this.opening != null) {
				this.opening.thenAccept(ConfirmedChannel::close);
				this.opening = null;
			}
		}

	}

}

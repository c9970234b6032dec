package io.celeriac.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * A message broker as Celeriac uses it: declare the topology, publish with confirmation,
 * and consume with explicit acknowledgement, so that a message is gone only once its
 * outcome is recorded.
 *
 * @author Celeriac team
 */
public interface Broker {

	/**
	 * The exchange that delivers a message to the queue named by its routing key.
	 */
	String DEFAULT_EXCHANGE = "";

	/**
	 * Declares the topology's exchange, queues, bindings and error queues. Declaring what
	 * already exists with the same settings does nothing.
	 * @param topology the topology
	 */
	void declare(Topology topology);

	/**
	 * Publishes a message.
	 * @param exchange the exchange, or {@link #DEFAULT_EXCHANGE}
	 * @param routingKey the routing key
	 * @param message the message
	 * @return a future completed once the broker has taken responsibility for the
	 * message, or completed exceptionally if it refused it or did not answer in time
	 */
	CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message);

	/**
	 * Publishes a message as {@link #publish} does, but reports a failure to send it
	 * through the future instead of throwing, so that a caller collecting the futures of
	 * several messages handles every failure in one place.
	 * @param exchange the exchange, or {@link #DEFAULT_EXCHANGE}
	 * @param routingKey the routing key
	 * @param message the message
	 * @return a future completed once the broker has taken responsibility for the
	 * message, or completed exceptionally if it could not be sent, was refused or was not
	 * confirmed in time
	 */
	default CompletableFuture<Void> publishAsync(String exchange, String routingKey, WireMessage message) {
		try {
			return publish(exchange, routingKey, message);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Publishes a message and waits, at most {@code timeout}, until the broker has taken
	 * responsibility for it: once this returns, the message is in its queues. This is the
	 * one way Celeriac publishes where the caller must know the outcome (a retry, a
	 * message moved to or from an error queue, a workflow's next step).
	 * @param exchange the exchange, or {@link #DEFAULT_EXCHANGE}
	 * @param routingKey the routing key
	 * @param message the message
	 * @param timeout the longest it waits for the confirmation
	 * @throws PublishTimeoutException if the broker did not confirm it within the
	 * timeout; the message may still be routed, and its
	 * {@link PublishTimeoutException#confirmation() confirmation} tells when, so that a
	 * caller that would publish it again waits for that instead
	 * @throws PublishFailedException if the broker refused the message or the thread was
	 * interrupted while waiting (its interrupt flag is then set again); the message may
	 * or may not have been routed
	 */
	default void publishConfirmed(String exchange, String routingKey, WireMessage message, Duration timeout) {
		try {
			awaitConfirmation(publishAsync(exchange, routingKey, message), timeout);
		}
		catch (PublishFailedException ex) {
			String description = "Message " + message.correlationId() + " to exchange '" + exchange
					+ "' with routing key '" + routingKey + "' was not confirmed: " + ex.getMessage();
			if (ex instanceof PublishTimeoutException late) {
				throw new PublishTimeoutException(description, late);
			}
			throw new PublishFailedException(description, ex);
		}
	}

	/**
	 * Waits, at most {@code timeout} in all, for the broker to confirm messages published
	 * together, as a workflow's messages are.
	 * @param confirmations the futures {@link #publishAsync} returned
	 * @param timeout the longest it waits for them all
	 * @throws PublishTimeoutException if one was not confirmed in time; its confirmation
	 * completes once the broker answered for them all
	 * @throws PublishFailedException if one was refused, or the thread was interrupted
	 * (its interrupt flag is then set again)
	 */
	static void awaitConfirmations(List<CompletableFuture<Void>> confirmations, Duration timeout) {
		try {
			awaitConfirmation(CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new)), timeout);
		}
		catch (PublishTimeoutException ex) {
			CompletableFuture<?>[] answers = confirmations.stream()
				.map(Broker::lateAnswer)
				.toArray(CompletableFuture[]::new);
			throw new PublishTimeoutException(ex.getMessage(), CompletableFuture.allOf(answers));
		}
	}

	/**
	 * Waits, at most {@code timeout}, for the broker to confirm a published message.
	 * @param confirmation the future {@link #publishAsync} returned
	 * @param timeout the longest it waits
	 * @throws PublishTimeoutException if it was not confirmed in time; its
	 * {@link PublishTimeoutException#confirmation() confirmation} is the broker's answer,
	 * however late
	 * @throws PublishFailedException if the message was refused, or the thread was
	 * interrupted (its interrupt flag is then set again)
	 */
	static void awaitConfirmation(CompletableFuture<Void> confirmation, Duration timeout) {
		try {
			confirmation.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PublishFailedException("Interrupted while waiting for the broker's confirmation", ex);
		}
		catch (TimeoutException ex) {
			throw new PublishTimeoutException("The broker did not confirm within " + timeout, lateAnswer(confirmation));
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof PublishFailedException publishFailure) {
				throw publishFailure;
			}
			throw new PublishFailedException("Publishing failed: " + cause.getMessage(), cause);
		}
	}

	/**
	 * The broker's answer behind a publish future: the future itself, or, where it ended
	 * with its own timeout, the confirmation that timeout kept.
	 */
	private static CompletableFuture<Void> lateAnswer(CompletableFuture<Void> confirmation) {
		return confirmation.handle((done, failure) -> {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (cause == null) {
				return CompletableFuture.<Void>completedFuture(null);
			}
			return (cause instanceof PublishTimeoutException timeout) ? timeout.confirmation()
					: CompletableFuture.<Void>failedFuture(cause);
		}).thenCompose(Function.identity());
	}

	/**
	 * Starts consuming a queue.
	 * @param queue the queue's full name
	 * @param settings how many consumers and how many unacknowledged messages each may
	 * hold
	 * @param handler what runs for each delivery; it must acknowledge or reject it
	 * @return the running subscription
	 */
	Subscription consume(String queue, ConsumerSettings settings, DeliveryHandler handler);

	/**
	 * Starts consuming several queues, in priority order where the broker supports it: a
	 * consumer then always takes from the first queue in the list that has a message
	 * (retools' {@code high,medium,main}), and {@code settings.concurrency()} consumers
	 * serve the whole list. The default consumes each queue on its own, with
	 * {@code settings.concurrency()} consumers each, in no order between queues: RabbitMQ
	 * and the in-memory broker do that, RabbitMQ's priorities being per message.
	 * @param queues the queues' full names, most urgent first
	 * @param settings how many consumers and how many unacknowledged messages each may
	 * hold
	 * @param handler what runs for each delivery; it must acknowledge or reject it
	 * @return the running subscription of every queue
	 */
	default Subscription consume(List<String> queues, ConsumerSettings settings, DeliveryHandler handler) {
		List<Subscription> subscriptions = new ArrayList<>();
		try {
			for (String queue : queues) {
				subscriptions.add(consume(queue, settings, handler));
			}
		}
		catch (RuntimeException ex) {
			subscriptions.forEach(Subscription::close);
			throw ex;
		}
		return new Subscription() {

			/**
			 * Stops every subscription at once, so that together they take the timeout,
			 * not one timeout each.
			 */
			@Override
			public void stop(Duration timeout) {
				Subscription.stopTogether(subscriptions, timeout, "celeriac-stop");
			}

			@Override
			public void stopTaking() {
				subscriptions.forEach(Subscription::stopTaking);
			}

			@Override
			public boolean isRunning() {
				return subscriptions.stream().anyMatch(Subscription::isRunning);
			}

		};
	}

	/**
	 * Takes one message from a queue without subscribing, as AMQP's {@code basic.get}
	 * does.
	 * @param queue the queue's full name
	 * @return the delivery, which must be acknowledged or rejected, or {@code null} if
	 * the queue is empty
	 */
	@Nullable Delivery get(String queue);

	/**
	 * Opens a reader that takes a queue's messages one at a time and holds those it took
	 * and that were not settled until it closes, which gives them back in their order.
	 * The default takes each with {@link #get(String)} and holds a limited number;
	 * RabbitMQ holds them all unacknowledged on one channel.
	 * @param queue the queue's full name
	 * @return the reader, to close once done
	 */
	default QueueReader reader(String queue) {
		return new GettingQueueReader(this, queue);
	}

	/**
	 * Tells whether a queue exists.
	 * @param queue the queue's full name
	 * @return {@code true} if it exists
	 */
	boolean queueExists(String queue);

	/**
	 * Returns how many messages wait in a queue, not counting those delivered and not yet
	 * acknowledged.
	 * @param queue the queue's full name
	 * @return the number of ready messages
	 */
	long messageCount(String queue);

	/**
	 * Removes every ready message from a queue (messages delivered and not yet settled
	 * stay), as Celery's {@code purge} and retools' {@code flush} do.
	 * @param queue the queue's full name
	 * @return how many messages were removed
	 */
	long purge(String queue);

	/**
	 * Returns what a queue holds: ready messages, deliveries not yet settled, and delayed
	 * messages.
	 * @param queue the queue's full name
	 * @return the figures, all zero for a queue that does not exist
	 */
	QueueStats stats(String queue);

}

package io.celeriac.broker.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.DeliveriesInHand;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue of the {@link SqsBroker}: each consumer thread long-polls for up to
 * its prefetch (at most ten) messages and handles them in order. A heartbeat extends the
 * visibility of every delivery in hand, received or waiting, every third of the
 * visibility timeout, ten per call, so that only a dead process's deliveries come back.
 * Stopping interrupts the threads waiting in a long poll and gives back, with visibility
 * zero, every received delivery not yet handed to the handler; it waits up to the timeout
 * for the handlers running, then gives their deliveries back too and interrupts their
 * threads, so that another worker runs them at once.
 *
 * @author Celeriac team
 */
final class SqsSubscription implements Subscription {

	private static final Logger logger = LoggerFactory.getLogger(SqsSubscription.class);

	private final SqsBroker broker;

	private final String queue;

	private final String url;

	private final int prefetch;

	private final List<Consumer> consumers = new ArrayList<>();

	private final DeliveriesInHand<SqsDelivery> inHand = new DeliveriesInHand<>();

	private final ScheduledExecutorService heartbeat;

	private volatile boolean running = true;

	SqsSubscription(SqsBroker broker, String queue, String url, ConsumerSettings settings, DeliveryHandler handler) {
		this.broker = broker;
		this.queue = queue;
		this.url = url;
		this.prefetch = Math.min(settings.prefetch(), SqsBroker.BATCH_SIZE);
		this.heartbeat = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "celeriac-sqs-heartbeat-" + queue);
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(100, broker.visibilityTimeout().toMillis() / 3);
		this.heartbeat.scheduleWithFixedDelay(this::touchInHand, period, period, TimeUnit.MILLISECONDS);
		for (int i = 0; i < settings.concurrency(); i++) {
			Consumer consumer = new Consumer(handler);
			Thread thread = new Thread(consumer, "celeriac-sqs-" + queue + "-" + (i + 1));
			thread.setDaemon(true);
			consumer.thread = thread;
			this.consumers.add(consumer);
			thread.start();
		}
	}

	private void handle(Consumer consumer, SqsDelivery delivery) {
		try {
			consumer.handler.handle(delivery);
		}
		catch (RuntimeException ex) {
			logger.error("Delivery from queue '{}' failed unexpectedly; it goes back to the queue", this.queue, ex);
			delivery.reject(true);
		}
		finally {
			this.inHand.handled(delivery, delivery.isSettled());
		}
	}

	private void touchInHand() {
		this.inHand.releaseSettled(SqsDelivery::isSettled);
		List<SqsDelivery> unsettled = this.inHand.held().stream().filter((delivery) -> !delivery.isSettled()).toList();
		if (unsettled.isEmpty()) {
			return;
		}
		try {
			this.broker.changeVisibility(this.url, unsettled, this.broker.visibilityTimeout());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not extend the visibility of deliveries from queue '{}'", this.queue, ex);
		}
	}

	@Override
	public void stopTaking() {
		this.running = false;
		for (Consumer consumer : this.consumers) {
			if (consumer.polling) {
				consumer.thread.interrupt();
			}
		}
	}

	@Override
	public void stop(Duration timeout) {
		stopTaking();
		long deadline = System.nanoTime() + timeout.toNanos();
		if (!this.inHand.awaitHandlers(deadline)) {
			logger.info(
					"{} task(s) from queue '{}' still in hand when the shutdown timeout ended; interrupted and handed back to SQS",
					this.inHand.handling(), this.queue);
			giveBack(this.inHand.held());
			this.inHand.interruptHandlers();
		}
		for (Consumer consumer : this.consumers) {
			long left = Math.max(0, deadline - System.nanoTime());
			try {
				consumer.thread.join(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.heartbeat.shutdownNow();
		giveBack(this.inHand.held());
	}

	private void giveBack(List<SqsDelivery> deliveries) {
		List<SqsDelivery> unsettled = deliveries.stream().filter(SqsDelivery::markSettled).toList();
		if (unsettled.isEmpty()) {
			return;
		}
		try {
			this.broker.changeVisibility(this.url, unsettled, Duration.ZERO);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not give {} deliveries back to queue '{}'; they come back after their visibility "
					+ "timeout", unsettled.size(), this.queue, ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private final class Consumer implements Runnable {

		private final DeliveryHandler handler;

		private volatile Thread thread;

		private volatile boolean polling;

		Consumer(DeliveryHandler handler) {
			this.handler = handler;
			this.thread = Thread.currentThread();
		}

		@Override
		public void run() {
			while (SqsSubscription.this.running) {
				List<SqsDelivery> received;
				this.polling = true;
				try {
					if (!SqsSubscription.this.running) {
						return;
					}
					received = SqsSubscription.this.broker.receive(SqsSubscription.this.queue, SqsSubscription.this.url,
							SqsSubscription.this.prefetch, SqsSubscription.this.broker.waitTime());
				}
				catch (RuntimeException ex) {
					if (SqsSubscription.this.running) {
						logger.warn("Could not receive from SQS queue '{}'; trying again", SqsSubscription.this.queue,
								ex);
						pause();
					}
					continue;
				}
				finally {
					this.polling = false;
					// an interrupt meant only for the long poll must not reach a handler
					Thread.interrupted();
				}
				SqsSubscription.this.inHand.hold(received);
				for (int i = 0; i < received.size(); i++) {
					SqsSubscription.this.inHand.handle(received.get(i));
					if (!SqsSubscription.this.running) {
						List<SqsDelivery> unhandled = received.subList(i, received.size());
						giveBack(unhandled);
						SqsSubscription.this.inHand.release(unhandled);
						return;
					}
					handle(this, received.get(i));
				}
			}
		}

		private void pause() {
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}

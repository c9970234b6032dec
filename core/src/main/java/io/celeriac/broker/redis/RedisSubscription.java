package io.celeriac.broker.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.DeliveriesInHand;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.Subscription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnection;

/**
 * Consumes one or more queues of the {@link RedisBroker}, in priority order: each
 * consumer thread claims a message with a Lua script from the first queue of the list
 * that has one (retools' {@code high,medium,main}) and, when none has, blocks on the
 * queues' notify lists (no busy waiting) for at most the poll timeout: a Celeriac
 * producer wakes it at once, a message from kombu (which knows no notify list) is found
 * within the poll timeout. Before claiming, it returns the messages whose visibility
 * timeout passed (kombu's {@code restore_visible}), at most every quarter of it. A
 * heartbeat touches the deliveries in hand every third of the visibility timeout, so that
 * only a dead process's deliveries expire. Each consumer holds one delivery at a time:
 * the prefetch is not used.
 * <p>
 * Stopping ends the claims at once (a message claimed after that goes back unrun), waits
 * up to the timeout for the handlers running, then gives their deliveries back to the
 * queue and interrupts their threads, so that another worker runs them at once.
 *
 * @author Celeriac team
 */
final class RedisSubscription implements Subscription {

	private static final Logger logger = LoggerFactory.getLogger(RedisSubscription.class);

	private final RedisBroker broker;

	private final List<String> queues;

	private final String name;

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	private final DeliveriesInHand<RedisDelivery> inHand = new DeliveriesInHand<>();

	private final ScheduledExecutorService heartbeat;

	private volatile boolean running = true;

	RedisSubscription(RedisBroker broker, List<String> queues, ConsumerSettings settings, DeliveryHandler handler) {
		this.broker = broker;
		this.queues = List.copyOf(queues);
		this.name = String.join(",", queues);
		String name = this.name;
		this.heartbeat = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "celeriac-redis-heartbeat-" + name);
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(10, broker.visibilityTimeout().toMillis() / 3);
		this.heartbeat.scheduleWithFixedDelay(this::touchInHand, period, period, TimeUnit.MILLISECONDS);
		for (int i = 0; i < settings.concurrency(); i++) {
			Thread thread = new Thread(() -> consume(handler), "celeriac-redis-" + name + "-" + (i + 1));
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	private void consume(DeliveryHandler handler) {
		try (RedisConnection connection = this.broker.openConnection()) {
			while (this.running) {
				RedisDelivery delivery;
				try {
					delivery = claimFirst(connection);
					if (delivery == null) {
						this.broker.awaitNotification(connection, this.queues);
						continue;
					}
				}
				catch (RuntimeException ex) {
					if (this.running) {
						logger.warn("Could not take a message from Redis queues '{}'; trying again", this.name, ex);
						pause();
					}
					continue;
				}
				handle(handler, delivery);
			}
		}
	}

	private @Nullable RedisDelivery claimFirst(RedisConnection connection) {
		this.broker.restoreVisibleIfDue();
		for (String queue : this.queues) {
			RedisDelivery delivery = this.broker.claim(connection, queue);
			if (delivery != null) {
				return delivery;
			}
		}
		return null;
	}

	private void handle(DeliveryHandler handler, RedisDelivery delivery) {
		this.inHand.handle(delivery);
		try {
			if (!this.running) {
				delivery.reject(true);
				return;
			}
			handler.handle(delivery);
		}
		catch (RuntimeException ex) {
			logger.error("Delivery from queue '{}' failed unexpectedly; it goes back to the queue", delivery.queue(),
					ex);
			delivery.reject(true);
		}
		finally {
			this.inHand.handled(delivery, delivery.isSettled());
		}
	}

	private void touchInHand() {
		this.inHand.releaseSettled(RedisDelivery::isSettled);
		for (RedisDelivery delivery : this.inHand.held()) {
			try {
				delivery.touch(this.broker.visibilityTimeout());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not extend the visibility of a delivery from queue '{}'", delivery.queue(), ex);
			}
		}
	}

	private void pause() {
		try {
			Thread.sleep(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	@Override
	public void stopTaking() {
		this.running = false;
	}

	@Override
	public void stop(Duration timeout) {
		this.running = false;
		long deadline = System.nanoTime() + timeout.toNanos();
		if (!this.inHand.awaitHandlers(deadline)) {
			logger.info(
					"{} task(s) from queues '{}' still in hand when the shutdown timeout ended; interrupted and handed back to Redis",
					this.inHand.handling(), this.name);
			// from this thread: an interrupted thread's Redis command may fail
			this.inHand.held().forEach(this::giveBack);
			this.inHand.interruptHandlers();
		}
		// the consumers waiting for a message end within the poll timeout; what they
		// claim meanwhile goes back unrun
		for (Thread thread : this.threads) {
			long left = Math.max(0, deadline - System.nanoTime());
			try {
				thread.join(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.heartbeat.shutdownNow();
		this.inHand.held().forEach(this::giveBack);
	}

	private void giveBack(RedisDelivery delivery) {
		try {
			delivery.reject(true);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not give a delivery back to queue '{}'; it comes back after its visibility timeout",
					delivery.queue(), ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}

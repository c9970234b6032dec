package io.celeriac.broker.rabbit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.Subscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Consumes one queue with Spring AMQP's direct listener container in manual
 * acknowledgement mode: the handler settles each delivery, and a delivery the handler
 * neither settled nor survived goes back to the queue.
 * <p>
 * Each consumer has a channel of its own on a connection of the subscription's own (see
 * {@link ConsumerConnections}), and the RabbitMQ client runs its deliveries on one of the
 * subscription's threads, as many as the consumers: a delivery reaches the handler with
 * no further switch between threads.
 * <p>
 * Stopping cancels the consumers, leaves every prefetched delivery not yet handed to the
 * handler unacknowledged, waits up to the timeout for the handlers running, then abandons
 * the deliveries still in hand and interrupts their threads; closing the channels gives
 * all of those back to RabbitMQ, which delivers them to another consumer. The channel of
 * a task that has not returned a second after its interrupt is closed all the same.
 * <p>
 * A consumer whose connection is lost connects again by itself every
 * {@link #RECOVERY_INTERVAL}; the deliveries it held go back to their queue, and one
 * whose task ran but whose acknowledgement was lost runs again.
 *
 * @author Celeriac team
 */
final class RabbitSubscription implements Subscription {

	private static final Log logger = LogFactory.getLog(RabbitSubscription.class);

	/**
	 * How long stopping waits, after the timeout, for the tasks it interrupted to return
	 * before it closes their channels all the same.
	 */
	private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(1);

	/**
	 * How long connecting, each request on the connection, and closing it may take.
	 */
	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * How often the listener container looks for consumers whose channel was lost; it
	 * starts them again every {@link #RECOVERY_INTERVAL}.
	 */
	private static final Duration MONITOR_INTERVAL = Duration.ofMillis(500);

	/**
	 * How often a consumer that lost its connection (RabbitMQ restarted or went away)
	 * tries again; Spring AMQP's default of 5 s leaves the queue unconsumed that long
	 * after RabbitMQ is back.
	 */
	static final Duration RECOVERY_INTERVAL = Duration.ofSeconds(1);

	private final DirectMessageListenerContainer container;

	private final ConsumerConnections connections;

	private final ExecutorService threads;

	private final Map<RabbitDelivery, Thread> inHand = new ConcurrentHashMap<>();

	private final String queue;

	private volatile boolean stopping;

	RabbitSubscription(ConnectionFactory connectionFactory, String queue, ConsumerSettings settings,
			DeliveryHandler handler, AtomicLong inFlight) {
		this.queue = queue;
		this.threads = Executors.newFixedThreadPool(settings.concurrency(),
				new CustomizableThreadFactory("celeriac-" + queue + "-task-"));
		this.connections = new ConsumerConnections(connectionFactory, this.threads, "celeriac-" + queue,
				CONNECTION_TIMEOUT);
		this.container = new DirectMessageListenerContainer(this.connections.factory());
		this.container.setBeanName("celeriac-" + queue);
		this.container.setQueueNames(queue);
		this.container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		this.container.setConsumersPerQueue(settings.concurrency());
		this.container.setPrefetchCount(settings.prefetch());
		this.container.setDefaultRequeueRejected(true);
		this.container.setMessagePropertiesConverter(new WirePropertiesConverter());
		this.container.setRecoveryInterval(RECOVERY_INTERVAL.toMillis());
		// a lost consumer is restarted when the container's monitor runs, and no sooner
		// than the failed-declaration interval after the last try
		this.container.setMonitorInterval(MONITOR_INTERVAL.toMillis());
		this.container.setFailedDeclarationRetryInterval(RECOVERY_INTERVAL.toMillis());
		this.container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
			RabbitDelivery delivery = new RabbitDelivery(
					RabbitBroker.toWire(message.getBody(), message.getMessageProperties()), queue,
					String.valueOf(message.getMessageProperties().getReceivedRoutingKey()),
					Boolean.TRUE.equals(message.getMessageProperties().isRedelivered()), channel,
					message.getMessageProperties().getDeliveryTag(), false, inFlight::addAndGet);
			// in hand before the check, so that a stop that begins meanwhile either sees
			// the delivery refused or interrupts its handler at the deadline
			this.inHand.put(delivery, Thread.currentThread());
			if (this.stopping) {
				// prefetched before the consumer was cancelled, or given back by the
				// worker meanwhile: left unacknowledged, so that closing the channel
				// gives it back; rejected, RabbitMQ would deliver it to this consumer
				// again at once, in a loop that counts towards a quorum queue's
				// delivery limit until the consumer is cancelled
				delivery.abandon();
				release(delivery);
				return;
			}
			try {
				handler.handle(delivery);
			}
			catch (RuntimeException ex) {
				logger.error("Delivery from queue '" + queue + "' failed unexpectedly; it goes back to the queue", ex);
				if (!delivery.isSettled()) {
					delivery.reject(true);
				}
			}
			finally {
				release(delivery);
			}
		});
		this.container.afterPropertiesSet();
		this.container.start();
	}

	/**
	 * Lets the listener hold what it receives from now on, unrun and unacknowledged,
	 * until {@link #stop(Duration)} cancels the consumers and closes their channels,
	 * which gives it back.
	 */
	@Override
	public void stopTaking() {
		this.stopping = true;
	}

	@Override
	public void stop(Duration timeout) {
		this.stopping = true;
		long deadline = System.nanoTime() + timeout.toNanos();
		// cancels the consumers at once, then waits for their channels to close, each
		// after its running delivery; what still runs at our deadline is interrupted
		// below, and the channel of a task that does not return soon after is closed
		this.container.setShutdownTimeout(timeout.plus(INTERRUPT_GRACE).toMillis());
		Thread stopper = new Thread(this.container::stop, "celeriac-stop-" + this.queue);
		stopper.start();
		awaitHandlers(deadline);
		if (!this.inHand.isEmpty()) {
			logger.info(this.inHand.size() + " task(s) from queue '" + this.queue
					+ "' still in hand when the shutdown timeout ended; interrupted and handed back to RabbitMQ");
			// abandoned first, so that what the interrupted handler does is not sent
			this.inHand.forEach((delivery, thread) -> {
				delivery.abandon();
				thread.interrupt();
			});
		}
		try {
			stopper.join(timeout.plus(INTERRUPT_GRACE).plus(CONNECTION_TIMEOUT).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.container.destroy();
		this.connections.close();
		this.threads.shutdownNow();
		// the closed channels gave what was in hand back to RabbitMQ
		this.inHand.keySet().forEach(RabbitDelivery::abandon);
	}

	private void release(RabbitDelivery delivery) {
		this.inHand.remove(delivery);
		synchronized (this.inHand) {
			this.inHand.notifyAll();
		}
	}

	private void awaitHandlers(long deadline) {
		synchronized (this.inHand) {
			long remaining;
			while (!this.inHand.isEmpty() && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.inHand, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.container.isRunning();
	}

}

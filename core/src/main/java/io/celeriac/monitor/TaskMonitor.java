package io.celeriac.monitor;

import java.time.Duration;
import java.time.Instant;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.InvalidTaskMessageException;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Consumes the monitor queue, which is bound with {@code #} and so receives a copy of
 * every task sent on the exchange, and records each task in a {@link TaskRecordStore}
 * before acknowledging it. A message that is not a task is logged and dropped; a record
 * that cannot be written sends the message back to the queue.
 *
 * @author Celeriac team
 */
public class TaskMonitor implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TaskMonitor.class);

	private final Broker broker;

	private final Topology topology;

	private final CeleryProtocol protocol;

	private final TaskRecordStore store;

	private final ConsumerSettings settings;

	private final Duration shutdownTimeout;

	private @Nullable Subscription subscription;

	/**
	 * Creates a monitor.
	 * @param broker the broker
	 * @param topology the topology, which names the monitor queue
	 * @param protocol the message codec
	 * @param store where tasks are recorded
	 * @param settings consumer threads and prefetch
	 * @param shutdownTimeout how long stopping waits for records in progress
	 */
	public TaskMonitor(Broker broker, Topology topology, CeleryProtocol protocol, TaskRecordStore store,
			ConsumerSettings settings, Duration shutdownTimeout) {
		String queue = topology.monitorQueueName();
		if (queue == null) {
			throw new IllegalArgumentException("The topology has no monitor queue (celeriac.topology.monitor-queue "
					+ "is empty), so there is nothing to monitor");
		}
		this.broker = broker;
		this.topology = topology;
		this.protocol = protocol;
		this.store = store;
		this.settings = settings;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public synchronized void start() {
		if (this.subscription == null) {
			String queue = this.topology.monitorQueueName();
			this.subscription = this.broker.consume(queue, this.settings, this::handle);
			logger.info("Task monitor consumes {}", queue);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.subscription != null) {
			this.subscription.stop(this.shutdownTimeout);
			this.subscription = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.subscription != null;
	}

	@Override
	public int getPhase() {
		return TopologyDeclarer.PHASE + 1024;
	}

	/**
	 * Records one delivery, then acknowledges it.
	 * @param delivery the delivery
	 */
	public void handle(Delivery delivery) {
		TaskMessage message;
		try {
			message = this.protocol.decode(delivery.message());
		}
		catch (InvalidTaskMessageException ex) {
			logger.warn("Dropping a message from {} that is not a task ({}): {}", delivery.queue(), ex.getKind(),
					ex.getMessage());
			delivery.ack();
			return;
		}
		TaskHeaders headers = message.headers();
		try {
			this.store.save(new TaskRecord(message.id(), message.task(), message.body().args(), message.body().kwargs(),
					delivery.routingKey(), headers.eta(), headers.expires(), headers.parentId(), headers.rootId(),
					headers.group(), headers.retries(), headers.origin(), Instant.now()));
		}
		catch (RuntimeException ex) {
			logger.error("Could not record task {}[{}]; it goes back to {}", message.task(), message.id(),
					delivery.queue(), ex);
			delivery.reject(true);
			return;
		}
		delivery.ack();
	}

}

package io.celeriac.monitor;

import java.time.Duration;
import java.time.Instant;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerBackoff;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.errorqueue.ErrorQueuePublisher;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.InvalidTaskMessageException;
import io.celeriac.protocol.MessageLimits;
import io.celeriac.protocol.Origin;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.FailureLimits;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Consumes the monitor queue, which is bound with {@code #} and so receives a copy of
 * every task sent on the exchange, and records each task in a {@link TaskRecordStore}
 * before acknowledging it. A message it can never record (not a task, or a header too
 * long for the task table: see {@link MessageLimits}) is moved to the monitor queue's
 * error queue with the reason, before any attempt to record it. A record that cannot be
 * written because the store fails sends the message back to the queue after a pause that
 * grows while the failures go on ({@link ConsumerBackoff}), so a store that is down is
 * not hammered by the same messages coming straight back.
 *
 * @author Celeriac team
 */
public class TaskMonitor implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TaskMonitor.class);

	private static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	private final Broker broker;

	private final Topology topology;

	private final CeleryProtocol protocol;

	private final TaskRecordStore store;

	private final ConsumerSettings settings;

	private final Duration shutdownTimeout;

	private final ErrorQueuePublisher errorQueue;

	private final ConsumerBackoff failures;

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
		this(broker, topology, protocol, store, settings, shutdownTimeout, DEFAULT_CONFIRM_TIMEOUT,
				ConsumerBackoff.defaults());
	}

	/**
	 * Creates a monitor that waits for the broker's confirmation of a message moved to
	 * its error queue for the given time, and pauses after store failures as the given
	 * backoff says.
	 * @param broker the broker
	 * @param topology the topology, which names the monitor queue and its error queue
	 * @param protocol the message codec
	 * @param store where tasks are recorded
	 * @param settings consumer threads and prefetch
	 * @param shutdownTimeout how long stopping waits for records in progress
	 * @param confirmTimeout how long to wait for the broker to confirm a message moved to
	 * the error queue
	 * @param failures how long to pause before giving a message back after the store
	 * failed
	 */
	public TaskMonitor(Broker broker, Topology topology, CeleryProtocol protocol, TaskRecordStore store,
			ConsumerSettings settings, Duration shutdownTimeout, Duration confirmTimeout, ConsumerBackoff failures) {
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
		this.errorQueue = new ErrorQueuePublisher(broker, topology, "monitor@" + Origin.hostName(), confirmTimeout,
				FailureLimits.DEFAULTS);
		this.failures = failures;
	}

	@Override
	public synchronized void start() {
		if (this.subscription == null) {
			String queue = this.topology.monitorQueueName();
			String errorQueue = this.topology.monitorErrorQueueName();
			if (!this.broker.queueExists(errorQueue)) {
				throw new IllegalStateException("The task monitor cannot start: its error queue '" + errorQueue
						+ "' does not exist. Let Celeriac declare the topology (celeriac.topology.declare=true) or "
						+ "declare it yourself; the monitor moves the messages it cannot record there.");
			}
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
	 * Records one delivery, then acknowledges it; moves it to the error queue if it can
	 * never be recorded, or gives it back after a pause if the store failed.
	 * @param delivery the delivery
	 */
	public void handle(Delivery delivery) {
		TaskMessage message;
		try {
			message = this.protocol.decode(delivery.message());
			MessageLimits.RECORDED_COLUMNS.check(message, delivery.routingKey());
		}
		catch (InvalidTaskMessageException ex) {
			moveToErrorQueue(delivery, ex);
			return;
		}
		TaskHeaders headers = message.headers();
		try {
			this.store.save(new TaskRecord(message.id(), message.task(), message.body().args(), message.body().kwargs(),
					delivery.routingKey(), headers.eta(), headers.expires(), headers.parentId(), headers.rootId(),
					headers.group(), headers.retries(), headers.origin(), Instant.now()));
		}
		catch (RuntimeException ex) {
			giveBack(delivery, "Could not record task " + message.task() + "[" + message.id() + "]", ex);
			return;
		}
		this.failures.reset();
		delivery.ack();
	}

	private void moveToErrorQueue(Delivery delivery, InvalidTaskMessageException ex) {
		try {
			String errorQueue = this.errorQueue.send(delivery, ex.getKind(), ex.getMessage(), ex);
			delivery.ack();
			logger.warn("A message from {} cannot be recorded ({}); moved to {}: {}", delivery.queue(), ex.getKind(),
					errorQueue, this.errorQueue.limits().message(ex.getMessage()));
		}
		catch (PublishFailedException failure) {
			giveBack(delivery, "A message from " + delivery.queue() + " that cannot be recorded (" + ex.getKind()
					+ ") could not be moved to the error queue", failure);
		}
	}

	private void giveBack(Delivery delivery, String what, RuntimeException ex) {
		Duration pause = this.failures.next();
		logger.error("{}; it goes back to {} in {} ms", what, delivery.queue(), pause.toMillis(), ex);
		ConsumerBackoff.sleep(pause);
		delivery.reject(true);
	}

}

package io.celeriac.delay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.celeriac.broker.Broker;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.TopologyDeclarer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Publishes delayed tasks once they are due: it claims the due tasks in the
 * {@link DelayedTaskStore} when the store says the next one is due, and at least every
 * poll interval, publishes each to its exchange, waits for the broker's confirmation and
 * only then removes it from the store. A task whose publication fails stays claimed until
 * its claim lapses, and is claimed again then. Several schedulers (one per application
 * instance) may run on the same store.
 *
 * @author Celeriac team
 */
public class DelayedTaskScheduler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DelayedTaskScheduler.class);

	private final DelayedTaskStore store;

	private final Broker broker;

	private final Settings settings;

	private @Nullable Thread thread;

	private volatile boolean running;

	/**
	 * Creates a scheduler.
	 * @param store where the delayed tasks wait
	 * @param broker where due tasks are published
	 * @param settings how it polls
	 */
	public DelayedTaskScheduler(DelayedTaskStore store, Broker broker, Settings settings) {
		this.store = store;
		this.broker = broker;
		this.settings = settings;
	}

	/**
	 * Returns the store this scheduler reads.
	 * @return the store
	 */
	public DelayedTaskStore store() {
		return this.store;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		Thread thread = new Thread(this::loop, "celeriac-delayed-scheduler");
		thread.setDaemon(true);
		thread.start();
		this.thread = thread;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		Thread thread = this.thread;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(this.settings.confirmTimeout().toMillis() + 1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// after the topology is declared, before the worker
		return TopologyDeclarer.PHASE + 512;
	}

	private void loop() {
		while (this.running) {
			int published = 0;
			boolean failed = false;
			try {
				published = publishDue(Instant.now());
			}
			catch (RuntimeException ex) {
				if (!this.running) {
					// stopped: what it had claimed is claimed again once the claim lapses
					return;
				}
				logger.warn("Could not publish due delayed tasks: {}", ex.getMessage(), ex);
				failed = true;
			}
			if (published < this.settings.batchSize()) {
				try {
					Thread.sleep(failed ? this.settings.pollInterval().toMillis() : untilNextPoll());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * How long to sleep before claiming again: until the store's next task is due, and
	 * never longer than the poll interval, which bounds how late a task parked meanwhile
	 * (by another worker) or a lapsed claim is seen.
	 */
	private long untilNextPoll() {
		long poll = this.settings.pollInterval().toMillis();
		Instant next;
		try {
			next = this.store.nextDue();
		}
		catch (RuntimeException ex) {
			return poll;
		}
		if (next == null) {
			return poll;
		}
		long wait = next.toEpochMilli() - System.currentTimeMillis();
		// due times are in milliseconds: wake on the millisecond after, not before it
		return Math.max(0, Math.min(poll, wait + 1));
	}

	/**
	 * Claims the tasks due at the given time, publishes them and removes them from the
	 * store.
	 * @param now the current time
	 * @return how many it published
	 */
	public int publishDue(Instant now) {
		List<ClaimedTask> claimed = this.store.claimDue(now, this.settings.batchSize(), this.settings.claimLease());
		if (claimed.isEmpty()) {
			return 0;
		}
		List<CompletableFuture<Void>> confirms = new ArrayList<>(claimed.size());
		for (ClaimedTask task : claimed) {
			DelayedTask delayed = task.task();
			confirms.add(this.broker.publishAsync(delayed.exchange(), delayed.routingKey(), delayed.message()));
		}
		List<ClaimedTask> published = new ArrayList<>(claimed.size());
		for (int i = 0; i < claimed.size(); i++) {
			try {
				Broker.awaitConfirmation(confirms.get(i), this.settings.confirmTimeout());
				published.add(claimed.get(i));
			}
			catch (PublishFailedException ex) {
				if (Thread.currentThread().isInterrupted()) {
					break;
				}
				logger.warn("Delayed task {} was not confirmed by the broker ({}); it is published again once its "
						+ "claim lapses", claimed.get(i).task().message().correlationId(), ex.getMessage());
			}
		}
		this.store.removeAll(published);
		return published.size();
	}

	/**
	 * How a scheduler polls.
	 *
	 * @param pollInterval the longest it sleeps after finding fewer due tasks than a
	 * batch (it wakes sooner when the store's next task is due sooner)
	 * @param batchSize the most tasks it claims at once
	 * @param claimLease how long a claim holds before another scheduler may take the task
	 * @param confirmTimeout how long it waits for the broker to confirm a publication
	 */
	public record Settings(Duration pollInterval, int batchSize, Duration claimLease, Duration confirmTimeout) {

		public Settings {
			if (batchSize < 1) {
				throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
			}
			if (claimLease.compareTo(confirmTimeout) <= 0) {
				throw new IllegalArgumentException(
						"claimLease (" + claimLease + ") must be longer than confirmTimeout (" + confirmTimeout
								+ "), or a task being published could be claimed again");
			}
		}

		/**
		 * Returns the defaults: poll every 50 ms, 500 tasks at once, claims of 60 s,
		 * confirmations within 10 s.
		 * @return the settings
		 */
		public static Settings defaults() {
			return new Settings(Duration.ofMillis(50), 500, Duration.ofSeconds(60), Duration.ofSeconds(10));
		}

	}

}

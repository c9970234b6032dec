package io.celeriac.worker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.celeriac.protocol.Origin;
import io.celeriac.registry.RunningTasks;
import io.celeriac.registry.WorkerDescription;
import io.celeriac.registry.WorkerRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Announces a {@link TaskWorker} in the {@link WorkerRegistry}: at start, then every
 * interval, with a window of {@code misses} intervals, so that a worker that dies
 * disappears from the registry within that window; at stop it unregisters at once. It
 * starts before the worker consumes and stops after the worker has finished its in-flight
 * tasks, so that the registry shows a worker while it drains. A heartbeat that fails (the
 * registry's server is down) is logged and retried at the next interval: the registry
 * never stops the worker.
 *
 * @author Celeriac team
 */
public class WorkerHeartbeat implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WorkerHeartbeat.class);

	private final WorkerRegistry registry;

	private final TaskWorker worker;

	private final RunningTasks running;

	private final Duration interval;

	private final Duration window;

	private final Clock clock;

	private final String id;

	private @Nullable ScheduledExecutorService executor;

	private @Nullable Instant started;

	/**
	 * Creates a heartbeat.
	 * @param registry where the worker is announced
	 * @param worker the worker
	 * @param id the worker's id in the registry, its name
	 * @param running what the worker runs now
	 * @param interval how often the worker is announced
	 * @param misses how many intervals may pass without a heartbeat before the worker is
	 * pruned, at least 2
	 */
	public WorkerHeartbeat(WorkerRegistry registry, TaskWorker worker, String id, RunningTasks running,
			Duration interval, int misses) {
		this(registry, worker, id, running, interval, misses, Clock.systemUTC());
	}

	WorkerHeartbeat(WorkerRegistry registry, TaskWorker worker, String id, RunningTasks running, Duration interval,
			int misses, Clock clock) {
		Assert.isTrue(!interval.isNegative() && !interval.isZero(), "Heartbeat interval must be positive");
		Assert.isTrue(misses >= 2, "A worker must be allowed to miss at least 2 heartbeats");
		this.registry = registry;
		this.worker = worker;
		this.id = id;
		this.running = running;
		this.interval = interval;
		this.window = interval.multipliedBy(misses);
		this.clock = clock;
	}

	/**
	 * Returns how long the registry keeps the worker without a heartbeat.
	 * @return the window
	 */
	public Duration window() {
		return this.window;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.started = this.clock.instant();
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "celeriac-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::beat, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		executor.shutdownNow();
		try {
			executor.awaitTermination(5, TimeUnit.SECONDS);
			this.registry.unregister(this.id);
			logger.info("Worker {} unregistered", this.id);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.warn("Worker {} could not unregister ({}); the registry prunes it after {}", this.id, ex.toString(),
					this.window);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public int getPhase() {
		// starts before the worker consumes, stops after it has drained
		return this.worker.getPhase() - 1;
	}

	/**
	 * Returns what the worker announces now.
	 * @return the description
	 */
	public WorkerDescription describe() {
		Instant now = this.clock.instant();
		Instant started = (this.started != null) ? this.started : now;
		return new WorkerDescription(this.id, Origin.hostName(), ProcessHandle.current().pid(), this.worker.queues(),
				started, version(), this.worker.isRunning(), now, this.running.now());
	}

	private void beat() {
		try {
			this.registry.announce(describe(), this.window);
		}
		catch (RuntimeException ex) {
			logger.warn("Worker {} could not announce itself to the worker registry ({}); trying again in {}", this.id,
					ex.toString(), this.interval);
		}
	}

	/**
	 * Returns the Celeriac version, as the core jar's manifest says, or
	 * {@code "development"} when running from classes.
	 * @return the version
	 */
	public static String version() {
		String version = TaskWorker.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "development";
	}

}

package io.celeriac.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.task.TaskClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Publishes the ticks of every schedule, in each application instance: when a tick is
 * due, every instance tries to claim it in the shared {@link ScheduleStore}, and the one
 * that succeeds sends the task through the {@link TaskClient} with the tick's task id.
 * Ticks late by no more than the misfire threshold are published each, in order; those
 * missed for longer (every instance was down) follow the schedule's {@link MissedTicks}
 * policy. A schedule that never ticked starts with the first tick after this scheduler
 * first looked at it.
 * <p>
 * A tick is claimed before it is published: an instance that dies between the two loses
 * that tick (it is never published twice).
 *
 * @author Celeriac team
 */
public class RecurringTaskScheduler implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RecurringTaskScheduler.class);

	/**
	 * The most ticks of one schedule a round handles, so that a store that never lets a
	 * claim through cannot hold the scheduler in a loop.
	 */
	private static final int MAX_TICKS_PER_ROUND = 10_000;

	private final ScheduleStore store;

	private final Schedules schedules;

	private final TaskClient client;

	private final Settings settings;

	private final Clock clock;

	private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

	private final Map<String, Instant> nextTicks = new ConcurrentHashMap<>();

	private final Set<String> failing = ConcurrentHashMap.newKeySet();

	private final Object wakeUp = new Object();

	private @Nullable Thread thread;

	private volatile boolean running;

	/**
	 * Creates a scheduler.
	 * @param store where ticks are claimed
	 * @param schedules the schedules
	 * @param client sends the ticks' tasks
	 * @param settings the misfire threshold and poll interval
	 * @param clock the clock
	 */
	public RecurringTaskScheduler(ScheduleStore store, Schedules schedules, TaskClient client, Settings settings,
			Clock clock) {
		this.store = store;
		this.schedules = schedules;
		this.client = client;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Returns the store the ticks are claimed in.
	 * @return the store
	 */
	public ScheduleStore store() {
		return this.store;
	}

	/**
	 * Returns the schedules.
	 * @return the schedules
	 */
	public Schedules schedules() {
		return this.schedules;
	}

	@Override
	public synchronized void start() {
		if (this.running || this.schedules.all().isEmpty()) {
			return;
		}
		this.running = true;
		Thread thread = new Thread(this::loop, "celeriac-recurring-scheduler");
		thread.setDaemon(true);
		thread.start();
		this.thread = thread;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		Thread thread = this.thread;
		if (thread != null) {
			// woken, not interrupted: a tick being published is published (an interrupt
			// could lose it between its claim and the broker's confirmation)
			synchronized (this.wakeUp) {
				this.wakeUp.notifyAll();
			}
			try {
				thread.join(Duration.ofSeconds(15).toMillis());
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
		// after the topology is declared, with the delayed task scheduler
		return TopologyDeclarer.PHASE + 512;
	}

	private void loop() {
		while (this.running) {
			try {
				publishDue(this.clock.instant());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not publish the due recurring tasks: {}", ex.getMessage(), ex);
			}
			try {
				synchronized (this.wakeUp) {
					if (this.running) {
						this.wakeUp.wait(untilNextTick());
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private long untilNextTick() {
		long wait = this.settings.pollInterval().toMillis();
		long now = this.clock.millis();
		for (Instant next : this.nextTicks.values()) {
			wait = Math.min(wait, next.toEpochMilli() - now);
		}
		return Math.max(1, wait);
	}

	/**
	 * Claims and publishes the ticks of every schedule that are due at the given time.
	 * @param now the current time
	 * @return how many ticks this call published
	 */
	public int publishDue(Instant now) {
		int published = 0;
		for (RecurringSchedule schedule : this.schedules.all()) {
			try {
				published += publishDue(schedule, now);
				if (this.failing.remove(schedule.name())) {
					logger.info("Schedule '{}' ticks again", schedule.name());
				}
			}
			catch (RuntimeException ex) {
				// looked at again after the poll interval, not at a tick already past
				this.nextTicks.remove(schedule.name());
				// once per outage, not on every look at the store
				if (this.failing.add(schedule.name())) {
					logger.warn("Could not tick schedule '{}': {}", schedule.name(), ex.getMessage(), ex);
				}
				else {
					logger.debug("Could not tick schedule '{}': {}", schedule.name(), ex.getMessage());
				}
			}
		}
		return published;
	}

	private int publishDue(RecurringSchedule schedule, Instant now) {
		int published = 0;
		Instant cutoff = now.minus(this.settings.misfireThreshold());
		for (int round = 0; round < MAX_TICKS_PER_ROUND; round++) {
			Instant from = this.store.lastTick(schedule.name())
				.orElseGet(() -> this.firstSeen.computeIfAbsent(schedule.name(), (name) -> now));
			Instant next = schedule.recurrence().next(from);
			if (next == null || next.isAfter(now)) {
				if (next != null) {
					this.nextTicks.put(schedule.name(), next);
				}
				else {
					this.nextTicks.remove(schedule.name());
				}
				return published;
			}
			if (next.isBefore(cutoff)) {
				Instant latest = schedule.recurrence().latest(cutoff, from);
				Instant missed = (latest != null) ? latest : next;
				if (this.store.claim(schedule.name(), missed)) {
					if (schedule.missedTicks() == MissedTicks.RUN_ONCE) {
						logger.info("Schedule '{}' missed its ticks from {} to {}: publishing one catch-up tick",
								schedule.name(), next, missed);
						published += publish(schedule, missed) ? 1 : 0;
					}
					else {
						logger.info("Schedule '{}' missed its ticks from {} to {}: skipped", schedule.name(), next,
								missed);
					}
				}
			}
			else if (this.store.claim(schedule.name(), next)) {
				published += publish(schedule, next) ? 1 : 0;
			}
		}
		return published;
	}

	private boolean publish(RecurringSchedule schedule, Instant tick) {
		try {
			this.client.send(schedule.task(), schedule.args(), schedule.kwargs(),
					schedule.options(tick, this.clock.instant()));
			return true;
		}
		catch (RuntimeException ex) {
			logger.error(
					"Tick {} of schedule '{}' was claimed but its publication failed; it is not published again: {}",
					schedule.taskId(tick), schedule.name(), ex.getMessage(), ex);
			return false;
		}
	}

	/**
	 * Returns each schedule with its last and next runs.
	 * @return the schedules, in name order
	 */
	public List<ScheduleStatus> status() {
		Instant now = this.clock.instant();
		List<ScheduleStatus> status = new ArrayList<>();
		for (RecurringSchedule schedule : this.schedules.all()) {
			Instant last;
			try {
				last = this.store.lastTick(schedule.name()).orElse(null);
			}
			catch (RuntimeException ex) {
				last = null;
			}
			Instant from = (last != null && last.isAfter(now)) ? last : now;
			status.add(new ScheduleStatus(schedule.name(), schedule.task(), schedule.recurrence().describe(),
					schedule.missedTicks(), last, Optional.ofNullable(last).map(schedule::taskId).orElse(null),
					schedule.recurrence().next(from)));
		}
		return status;
	}

	/**
	 * How the scheduler treats late ticks and how often it looks at the store.
	 *
	 * @param misfireThreshold how late a tick may be published: a tick missed for longer
	 * follows its schedule's {@link MissedTicks} policy
	 * @param pollInterval the longest the scheduler sleeps between two looks at the store
	 * (it wakes for the next tick sooner)
	 */
	public record Settings(Duration misfireThreshold, Duration pollInterval) {

		public Settings {
			if (misfireThreshold.isNegative() || misfireThreshold.isZero()) {
				throw new IllegalArgumentException("misfireThreshold must be positive, not " + misfireThreshold);
			}
			if (pollInterval.toMillis() < 1) {
				throw new IllegalArgumentException("pollInterval must be at least 1ms, not " + pollInterval);
			}
		}

		/**
		 * Returns the defaults: a misfire threshold of 30 seconds, a look every second.
		 * @return the settings
		 */
		public static Settings defaults() {
			return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(1));
		}

	}

}

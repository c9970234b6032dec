package io.celeriac.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the minutes of a {@link TaskTimeline} that can no longer change, so that a
 * dashboard asking every few seconds for the last hour has only the last minutes counted
 * again. A minute is remembered once it ended a while ago ({@code settle}: the monitor
 * stamps each task with the time it records it, so an ended minute gets no new tasks) and
 * every task seen in it succeeded or was revoked; only minutes within {@code horizon} of
 * now are remembered. A failure is not settled: an operator may requeue it from its error
 * queue and the same task id then succeeds, so a minute with a failure, like one with
 * tasks still running, is counted again at least every {@code refresh}.
 *
 * @author Celeriac team
 */
public final class TimelineCache {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private final Duration horizon;

	private final Duration settle;

	private final Duration staleAfter;

	private final Duration refresh;

	private final Clock clock;

	private final NavigableMap<Instant, Known> minutes = new ConcurrentSkipListMap<>();

	/**
	 * Creates a cache that remembers the minutes of the last two hours: from one minute
	 * after they ended when all their tasks succeeded or were revoked, else from 5
	 * minutes after they ended, for one minute at a time.
	 */
	public TimelineCache() {
		this(Duration.ofHours(2), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(1),
				Clock.systemUTC());
	}

	/**
	 * Creates a cache.
	 * @param horizon how far back minutes are remembered
	 * @param settle how long after its end a minute whose tasks are all final may be
	 * remembered
	 * @param staleAfter how long after its end a minute with tasks not final may be
	 * remembered
	 * @param refresh how long a minute with tasks not final is remembered
	 * @param clock the time
	 */
	public TimelineCache(Duration horizon, Duration settle, Duration staleAfter, Duration refresh, Clock clock) {
		this.horizon = horizon;
		this.settle = settle;
		this.staleAfter = staleAfter;
		this.refresh = refresh;
		this.clock = clock;
	}

	/**
	 * Returns the timeline since an instant, counting what is not remembered.
	 * @param since the start of the period
	 * @param counter counts the tasks seen in a period, per minute and state
	 * @return the timeline
	 */
	public TaskTimeline timeline(Instant since, Counter counter) {
		Instant now = this.clock.instant();
		Instant oldest = now.minus(this.horizon);
		Instant settled = lastEndedBefore(now.minus(this.settle));
		Instant stale = lastEndedBefore(now.minus(this.staleAfter));
		this.minutes.headMap(oldest.truncatedTo(ChronoUnit.MINUTES), false).clear();
		Map<Instant, Map<TaskState, Long>> timeline = new TreeMap<>();
		Instant first = since.truncatedTo(ChronoUnit.MINUTES);
		if (first.isBefore(since)) {
			// the minute since falls in is counted in part, never remembered
			first = first.plus(MINUTE);
			timeline.putAll(counter.count(since, first));
		}
		Instant from = first;
		if (!from.isBefore(oldest)) {
			Known known;
			while (!from.isAfter(settled) && (known = this.minutes.get(from)) != null
					&& (known.until() == null || known.until().isAfter(now))) {
				if (!known.counts().isEmpty()) {
					timeline.put(from, known.counts());
				}
				from = from.plus(MINUTE);
			}
		}
		Map<Instant, Map<TaskState, Long>> counted = counter.count(from, null);
		timeline.putAll(counted);
		Instant remember = (from.isBefore(oldest)) ? oldest.truncatedTo(ChronoUnit.MINUTES).plus(MINUTE) : from;
		for (Instant minute = remember; !minute.isAfter(settled); minute = minute.plus(MINUTE)) {
			Map<TaskState, Long> counts = counted.getOrDefault(minute, Map.of());
			if (counts.keySet().stream().allMatch(TimelineCache::settled)) {
				this.minutes.put(minute, new Known(Map.copyOf(counts), null));
			}
			else if (!minute.isAfter(stale)) {
				this.minutes.put(minute, new Known(Map.copyOf(counts), now.plus(this.refresh)));
			}
			else {
				this.minutes.remove(minute);
			}
		}
		List<TaskTimeline.Minute> result = new ArrayList<>();
		timeline.forEach((start, counts) -> result.add(new TaskTimeline.Minute(start, counts)));
		return new TaskTimeline(since, result);
	}

	private static boolean settled(TaskState state) {
		return state == TaskState.SUCCESS || state == TaskState.REVOKED;
	}

	private static Instant lastEndedBefore(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MINUTES).minus(MINUTE);
	}

	/**
	 * Counts the tasks seen in a period.
	 */
	@FunctionalInterface
	public interface Counter {

		/**
		 * Counts the tasks seen in a period, per minute and state.
		 * @param from the start of the period (inclusive)
		 * @param to the end of the period (exclusive), or {@code null} for no end
		 * @return the counts per minute start; minutes without tasks may be left out
		 */
		Map<Instant, Map<TaskState, Long>> count(Instant from, @Nullable Instant to);

	}

	private record Known(Map<TaskState, Long> counts, @Nullable Instant until) {

	}

}

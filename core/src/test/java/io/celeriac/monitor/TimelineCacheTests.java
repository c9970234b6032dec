package io.celeriac.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TimelineCache}.
 *
 * @author Celeriac team
 */
class TimelineCacheTests {

	private static final Instant NOW = Instant.parse("2026-12-02T10:00:30Z");

	private final Tasks tasks = new Tasks();

	private final MutableClock clock = new MutableClock(NOW);

	private final TimelineCache cache = new TimelineCache(Duration.ofHours(2), Duration.ofMinutes(1),
			Duration.ofMinutes(15), Duration.ofMinutes(1), this.clock);

	@Test
	void endedMinutesWhoseTasksAllSucceededAreCountedOnce() {
		Instant since = NOW.minus(Duration.ofHours(1));
		this.tasks.add(minute(-50), TaskState.SUCCESS);
		this.tasks.add(minute(-50), TaskState.FAILURE);
		this.tasks.add(minute(-10), TaskState.STARTED);
		this.tasks.add(minute(-5), TaskState.SUCCESS);
		this.tasks.add(minute(0), TaskState.PENDING);
		TaskTimeline first = this.cache.timeline(since, this.tasks);
		assertThat(first.minutes()).extracting(TaskTimeline.Minute::start)
			.containsExactly(minute(-50), minute(-10), minute(-5), minute(0));
		// the partial minute since falls in, then the rest
		Instant firstWhole = since.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
		assertThat(this.tasks.calls).containsExactly(since + " " + firstWhole, firstWhole + " null");
		this.tasks.calls.clear();
		this.tasks.add(minute(0), TaskState.SUCCESS);
		TaskTimeline second = this.cache.timeline(since, this.tasks);
		// minutes -59 to -11 are remembered; -10 has a task running: counting starts
		// there
		assertThat(this.tasks.calls).last().isEqualTo(minute(-10) + " null");
		assertThat(second.minutes()).hasSize(4);
		assertThat(second.minutes().get(0))
			.isEqualTo(new TaskTimeline.Minute(minute(-50), Map.of(TaskState.SUCCESS, 1L, TaskState.FAILURE, 1L)));
		assertThat(second.minutes().get(3).counts()).isEqualTo(Map.of(TaskState.PENDING, 1L, TaskState.SUCCESS, 1L));
		// once the running task is done, minutes up to the last ended one are remembered
		this.tasks.finish(minute(-10));
		TaskTimeline third = this.cache.timeline(since, this.tasks);
		assertThat(third.minutes().get(1).counts()).isEqualTo(Map.of(TaskState.SUCCESS, 1L));
		this.tasks.calls.clear();
		TaskTimeline fourth = this.cache.timeline(since, this.tasks);
		assertThat(this.tasks.calls).last().isEqualTo(minute(-1) + " null");
		assertThat(fourth).isEqualTo(third);
	}

	@Test
	void minutesLongEndedWithTasksNotFinalAreCountedAgainAfterTheRefreshTime() {
		Instant since = NOW.minus(Duration.ofHours(1));
		this.tasks.add(minute(-30), TaskState.PENDING);
		this.cache.timeline(since, this.tasks);
		this.tasks.finish(minute(-30));
		this.tasks.calls.clear();
		// remembered for a minute: still pending
		assertThat(this.cache.timeline(since, this.tasks).minutes()).singleElement()
			.isEqualTo(new TaskTimeline.Minute(minute(-30), Map.of(TaskState.PENDING, 1L)));
		assertThat(this.tasks.calls).last().isEqualTo(minute(-1) + " null");
		this.clock.now = NOW.plusSeconds(61);
		this.tasks.calls.clear();
		assertThat(this.cache.timeline(since, this.tasks).minutes()).singleElement()
			.isEqualTo(new TaskTimeline.Minute(minute(-30), Map.of(TaskState.SUCCESS, 1L)));
		assertThat(this.tasks.calls).last().isEqualTo(minute(-30) + " null");
	}

	@Test
	void aRequeuedFailureIsCountedInItsNewStateOnceTheRefreshTimeIsOver() {
		Instant since = NOW.minus(Duration.ofHours(1));
		this.tasks.add(minute(-30), TaskState.FAILURE);
		this.cache.timeline(since, this.tasks);
		this.tasks.finish(minute(-30));
		assertThat(this.cache.timeline(since, this.tasks).minutes()).singleElement()
			.isEqualTo(new TaskTimeline.Minute(minute(-30), Map.of(TaskState.FAILURE, 1L)));
		this.clock.now = NOW.plusSeconds(61);
		assertThat(this.cache.timeline(since, this.tasks).minutes()).singleElement()
			.isEqualTo(new TaskTimeline.Minute(minute(-30), Map.of(TaskState.SUCCESS, 1L)));
	}

	@Test
	void aPeriodBeyondTheHorizonIsCountedEveryTime() {
		Instant since = NOW.minus(Duration.ofHours(5)).truncatedTo(ChronoUnit.MINUTES);
		this.tasks.add(since.plusSeconds(60), TaskState.SUCCESS);
		this.cache.timeline(since, this.tasks);
		this.tasks.calls.clear();
		TaskTimeline again = this.cache.timeline(since, this.tasks);
		assertThat(this.tasks.calls).containsExactly(since + " null");
		assertThat(again.minutes()).singleElement()
			.isEqualTo(new TaskTimeline.Minute(since.plusSeconds(60), Map.of(TaskState.SUCCESS, 1L)));
	}

	private static Instant minute(int offset) {
		return NOW.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(offset));
	}

	private static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	private static final class Tasks implements TimelineCache.Counter {

		private final List<Instant> seen = new ArrayList<>();

		private final List<TaskState> states = new ArrayList<>();

		final List<String> calls = new ArrayList<>();

		void add(Instant seenAt, TaskState state) {
			this.seen.add(seenAt);
			this.states.add(state);
		}

		void finish(Instant seenAt) {
			for (int i = 0; i < this.seen.size(); i++) {
				if (this.seen.get(i).equals(seenAt)) {
					this.states.set(i, TaskState.SUCCESS);
				}
			}
		}

		@Override
		public Map<Instant, Map<TaskState, Long>> count(Instant from, @Nullable Instant to) {
			this.calls.add(from + " " + to);
			Map<Instant, Map<TaskState, Long>> minutes = new TreeMap<>();
			for (int i = 0; i < this.seen.size(); i++) {
				Instant seenAt = this.seen.get(i);
				if (!seenAt.isBefore(from) && (to == null || seenAt.isBefore(to))) {
					minutes
						.computeIfAbsent(seenAt.truncatedTo(ChronoUnit.MINUTES), (m) -> new EnumMap<>(TaskState.class))
						.merge(this.states.get(i), 1L, Long::sum);
				}
			}
			return minutes;
		}

	}

}

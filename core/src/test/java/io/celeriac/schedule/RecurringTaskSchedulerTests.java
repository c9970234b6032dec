package io.celeriac.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.schedule.memory.InMemoryScheduleStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RecurringTaskScheduler}: which ticks it publishes at a given time,
 * with which task ids, on the in-memory broker and store. The times are given, so no test
 * waits for a clock.
 *
 * @author Celeriac team
 */
class RecurringTaskSchedulerTests {

	private static final Instant START = Instant.parse("2026-12-07T10:00:00.250Z");

	private final InMemoryBroker broker = new InMemoryBroker();

	private final Topology topology = new Topology("task_exchange", "test-", null, Set.of("reports"), QueueType.CLASSIC,
			".error");

	private final CeleryProtocol protocol = new CeleryProtocol(new JsonMapper());

	private final InMemoryScheduleStore store = new InMemoryScheduleStore();

	private final Schedules schedules = new Schedules();

	@BeforeEach
	void declare() {
		this.broker.declare(this.topology);
	}

	@Test
	void aNewScheduleStartsWithTheFirstTickAfterItWasFirstSeen() {
		this.schedules.register(everySecond(MissedTicks.RUN_ONCE));
		RecurringTaskScheduler scheduler = scheduler(this.store);
		assertThat(scheduler.publishDue(START)).isZero();
		assertThat(scheduler.publishDue(START.plusMillis(800))).isOne();
		assertThat(sentIds()).containsExactly("reports.tick@2026-12-07T10:00:01Z");
	}

	@Test
	void aTickCarriesTheTaskItsArgumentsAndOptions() {
		this.schedules
			.register(new RecurringSchedule("nightly", "reports.generate", Recurrence.every(Duration.ofSeconds(1)),
					List.of(7, "csv"), Map.of("notify", true), "reports", 3, Duration.ofDays(3650), MissedTicks.SKIP));
		// the expiry is reckoned from the scheduler's fixed clock, but the broker drops a
		// message by the real one: ten years keep the tick alive whenever the test runs
		RecurringTaskScheduler scheduler = scheduler(this.store);
		scheduler.publishDue(START);
		scheduler.publishDue(START.plusSeconds(1));
		List<TaskMessage> sent = sent();
		assertThat(sent).singleElement().satisfies((message) -> {
			assertThat(message.id()).isEqualTo("nightly@2026-12-07T10:00:01Z");
			assertThat(message.task()).isEqualTo("reports.generate");
			assertThat(message.body().args().toString()).isEqualTo("[7,\"csv\"]");
			assertThat(message.body().kwargs().toString()).isEqualTo("{\"notify\":true}");
			assertThat(message.headers().expires()).isNotNull();
			assertThat(message.priority()).isEqualTo(3);
		});
	}

	@Test
	void ticksLateByLessThanTheMisfireThresholdArePublishedEachInOrder() {
		this.schedules.register(everySecond(MissedTicks.SKIP));
		RecurringTaskScheduler scheduler = scheduler(this.store);
		scheduler.publishDue(START);
		assertThat(scheduler.publishDue(START.plusSeconds(5))).isEqualTo(5);
		assertThat(sentIds()).containsExactly("reports.tick@2026-12-07T10:00:01Z", "reports.tick@2026-12-07T10:00:02Z",
				"reports.tick@2026-12-07T10:00:03Z", "reports.tick@2026-12-07T10:00:04Z",
				"reports.tick@2026-12-07T10:00:05Z");
	}

	@Test
	void runOncePublishesOneCatchUpTickForTheTicksMissedLongerThanTheThreshold() {
		this.schedules.register(everySecond(MissedTicks.RUN_ONCE));
		this.store.claim("reports.tick", Instant.parse("2026-12-07T10:00:00Z"));
		// every instance was down for 15 s; the threshold is 10 s
		assertThat(scheduler(this.store).publishDue(Instant.parse("2026-12-07T10:00:15.100Z"))).isEqualTo(11);
		List<String> ids = sentIds();
		assertThat(ids.get(0)).as("the catch-up tick").isEqualTo("reports.tick@2026-12-07T10:00:05Z");
		assertThat(ids.subList(1, ids.size())).as("the late ticks")
			.containsExactly("reports.tick@2026-12-07T10:00:06Z", "reports.tick@2026-12-07T10:00:07Z",
					"reports.tick@2026-12-07T10:00:08Z", "reports.tick@2026-12-07T10:00:09Z",
					"reports.tick@2026-12-07T10:00:10Z", "reports.tick@2026-12-07T10:00:11Z",
					"reports.tick@2026-12-07T10:00:12Z", "reports.tick@2026-12-07T10:00:13Z",
					"reports.tick@2026-12-07T10:00:14Z", "reports.tick@2026-12-07T10:00:15Z");
	}

	@Test
	void skipPublishesNoneOfTheTicksMissedLongerThanTheThreshold() {
		this.schedules.register(everySecond(MissedTicks.SKIP));
		this.store.claim("reports.tick", Instant.parse("2026-12-07T10:00:00Z"));
		assertThat(scheduler(this.store).publishDue(Instant.parse("2026-12-07T10:00:12.100Z"))).isEqualTo(10);
		assertThat(sentIds()).first().isEqualTo("reports.tick@2026-12-07T10:00:03Z");
		assertThat(this.store.lastTick("reports.tick")).contains(Instant.parse("2026-12-07T10:00:12Z"));
	}

	@Test
	void schedulersSharingAStorePublishEachTickOnce() {
		this.schedules.register(everySecond(MissedTicks.RUN_ONCE));
		List<RecurringTaskScheduler> schedulers = List.of(scheduler(this.store), scheduler(this.store),
				scheduler(this.store));
		schedulers.forEach((scheduler) -> scheduler.publishDue(START));
		for (int second = 1; second <= 5; second++) {
			for (RecurringTaskScheduler scheduler : schedulers) {
				scheduler.publishDue(START.plusSeconds(second));
			}
		}
		assertThat(sentIds()).doesNotHaveDuplicates().hasSize(5);
	}

	@Test
	void whileTheStoreIsUnreachableNothingIsPublishedAndThenTheLateTicksAre() {
		this.schedules.register(everySecond(MissedTicks.RUN_ONCE));
		UnreachableStore store = new UnreachableStore(this.store);
		RecurringTaskScheduler scheduler = scheduler(store);
		scheduler.publishDue(START);
		store.down = true;
		assertThat(scheduler.publishDue(START.plusSeconds(1))).isZero();
		assertThat(scheduler.publishDue(START.plusSeconds(2))).isZero();
		store.down = false;
		assertThat(scheduler.publishDue(START.plusSeconds(3))).isEqualTo(3);
		assertThat(sentIds()).containsExactly("reports.tick@2026-12-07T10:00:01Z", "reports.tick@2026-12-07T10:00:02Z",
				"reports.tick@2026-12-07T10:00:03Z");
	}

	@Test
	void aCronScheduleTicksInItsZone() {
		this.schedules.register(RecurringSchedule.of("morning", "reports.tick",
				Recurrence.cron("0 0 9 * * *", ZoneId.of("Europe/Paris")), MissedTicks.RUN_ONCE));
		RecurringTaskScheduler scheduler = scheduler(this.store);
		scheduler.publishDue(START);
		assertThat(scheduler.status()).singleElement().satisfies((status) -> {
			assertThat(status.lastRun()).isNull();
			assertThat(status.nextRun()).isEqualTo(Instant.parse("2026-12-08T08:00:00Z"));
			assertThat(status.recurrence()).isEqualTo("cron \"0 0 9 * * *\" Europe/Paris");
		});
		assertThat(scheduler.publishDue(Instant.parse("2026-12-08T08:00:00.010Z"))).isOne();
		assertThat(sentIds()).containsExactly("morning@2026-12-08T08:00:00Z");
		assertThat(scheduler.status().get(0).lastRun()).isEqualTo(Instant.parse("2026-12-08T08:00:00Z"));
		assertThat(scheduler.status().get(0).lastTaskId()).isEqualTo("morning@2026-12-08T08:00:00Z");
	}

	@Test
	void theLatestCronTickBeforeATimeIsFoundWithoutWalkingFromTheLastRun() {
		Recurrence hourly = Recurrence.cron("0 0 * * * *", ZoneOffset.UTC);
		assertThat(hourly.latest(Instant.parse("2026-12-07T10:30:00Z"), Instant.parse("2020-01-01T00:00:00Z")))
			.isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
		assertThat(hourly.latest(Instant.parse("2026-12-07T10:30:00Z"), Instant.parse("2026-12-07T10:00:00Z")))
			.isNull();
		assertThat(Recurrence.every(Duration.ofSeconds(30))
			.latest(Instant.parse("2026-12-07T10:00:59Z"), Instant.parse("2026-12-07T10:00:00Z")))
			.isEqualTo(Instant.parse("2026-12-07T10:00:30Z"));
	}

	@Test
	void intervalsAreReadWithOrWithoutISO() {
		assertThat(Recurrence.parseInterval("30s")).isEqualTo(Duration.ofSeconds(30));
		assertThat(Recurrence.parseInterval("500ms")).isEqualTo(Duration.ofMillis(500));
		assertThat(Recurrence.parseInterval("5m")).isEqualTo(Duration.ofMinutes(5));
		assertThat(Recurrence.parseInterval("PT1H")).isEqualTo(Duration.ofHours(1));
	}

	/**
	 * A store that answers as Redis or a database does when it cannot be reached.
	 */
	static final class UnreachableStore implements ScheduleStore {

		private final ScheduleStore store;

		volatile boolean down;

		UnreachableStore(ScheduleStore store) {
			this.store = store;
		}

		@Override
		public boolean claim(String schedule, Instant tick) {
			check();
			return this.store.claim(schedule, tick);
		}

		@Override
		public java.util.Optional<Instant> lastTick(String schedule) {
			check();
			return this.store.lastTick(schedule);
		}

		private void check() {
			if (this.down) {
				throw new IllegalStateException("store unreachable");
			}
		}

	}

	private RecurringSchedule everySecond(MissedTicks missedTicks) {
		return RecurringSchedule.of("reports.tick", "reports.tick", Recurrence.every(Duration.ofSeconds(1)),
				missedTicks);
	}

	private RecurringTaskScheduler scheduler(ScheduleStore store) {
		BrokerTaskClient client = new BrokerTaskClient(this.broker, this.topology, new FirstSegmentTaskRouter(),
				this.protocol, null);
		return new RecurringTaskScheduler(store, this.schedules, client,
				new RecurringTaskScheduler.Settings(Duration.ofSeconds(10), Duration.ofSeconds(1)),
				Clock.fixed(START, ZoneOffset.UTC));
	}

	private List<String> sentIds() {
		return sent().stream().map(TaskMessage::id).toList();
	}

	private List<TaskMessage> sent() {
		List<TaskMessage> messages = new ArrayList<>();
		Delivery delivery;
		while ((delivery = this.broker.get("test-reports")) != null) {
			messages.add(this.protocol.decode(delivery.message()));
			delivery.ack();
		}
		return messages;
	}

}

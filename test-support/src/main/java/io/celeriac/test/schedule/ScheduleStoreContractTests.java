package io.celeriac.test.schedule;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.schedule.ScheduleStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link ScheduleStore}: a tick is claimed once, a tick no later than a
 * schedule's last one is never claimed, the last tick is read back to the millisecond,
 * schedules are independent, and of many processes claiming the same ticks at once each
 * tick goes to exactly one. Each store's test extends it.
 *
 * @author Celeriac team
 */
public abstract class ScheduleStoreContractTests {

	private final Instant tick = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	private final String schedule = "schedule-" + UUID.randomUUID();

	/**
	 * Returns the store under test.
	 * @return the store
	 */
	protected abstract ScheduleStore store();

	@Test
	void aScheduleThatNeverTickedHasNoLastTick() {
		assertThat(store().lastTick(this.schedule)).isEmpty();
	}

	@Test
	void theFirstTickIsClaimedAndBecomesTheLastToTheMillisecond() {
		Instant tick = this.tick.plusMillis(7);
		assertThat(store().claim(this.schedule, tick)).isTrue();
		assertThat(store().lastTick(this.schedule)).contains(tick);
	}

	@Test
	void aTickIsClaimedOnce() {
		assertThat(store().claim(this.schedule, this.tick)).isTrue();
		assertThat(store().claim(this.schedule, this.tick)).isFalse();
		assertThat(store().lastTick(this.schedule)).contains(this.tick);
	}

	@Test
	void aLaterTickIsClaimedAndAnEarlierOneNoLonger() {
		assertThat(store().claim(this.schedule, this.tick)).isTrue();
		assertThat(store().claim(this.schedule, this.tick.plusSeconds(2))).isTrue();
		assertThat(store().claim(this.schedule, this.tick.plusSeconds(1))).isFalse();
		assertThat(store().lastTick(this.schedule)).contains(this.tick.plusSeconds(2));
	}

	@Test
	void schedulesAreIndependent() {
		String other = this.schedule + "-other";
		assertThat(store().claim(this.schedule, this.tick.plusSeconds(60))).isTrue();
		assertThat(store().claim(other, this.tick)).isTrue();
		assertThat(store().lastTick(other)).contains(this.tick);
		assertThat(store().lastTick(this.schedule)).contains(this.tick.plusSeconds(60));
	}

	@Test
	void ofManyProcessesClaimingTheSameTicksEachTickGoesToExactlyOne() throws Exception {
		int claimants = 6;
		int ticks = 40;
		Map<Instant, AtomicInteger> claims = new ConcurrentHashMap<>();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(claimants);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int claimant = 0; claimant < claimants; claimant++) {
				done.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < ticks; i++) {
						Instant tick = this.tick.plusSeconds(i);
						if (store().claim(this.schedule, tick)) {
							claims.computeIfAbsent(tick, (key) -> new AtomicInteger()).incrementAndGet();
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(claims).as("ticks claimed").hasSize(ticks);
		claims.forEach((tick, count) -> assertThat(count.get()).as("claims of %s", tick).isOne());
		assertThat(store().lastTick(this.schedule)).contains(this.tick.plusSeconds(ticks - 1));
	}

}

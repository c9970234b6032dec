package io.celeriac.test.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.memory.InMemoryTaskRecordStore;

/**
 * The task record store contract in memory, and its bounds: expiry and the most entries.
 *
 * @author Celeriac team
 */
class InMemoryTaskRecordStoreTests extends TaskRecordStoreContractTests {

	private final InMemoryTaskRecordStore store = new InMemoryTaskRecordStore();

	@Override
	protected TaskRecordStore store() {
		return this.store;
	}

	@Test
	void aRecordExpiresAfterCeleriacResultExpires() {
		MovableClock clock = new MovableClock();
		InMemoryTaskRecordStore bounded = new InMemoryTaskRecordStore(Duration.ofMinutes(10), 100, clock);
		bounded.save(record("expiring", "tests.memory"));
		assertThat(bounded.recent(10)).hasSize(1);
		clock.advance(Duration.ofMinutes(11));
		assertThat(bounded.find("expiring")).isEmpty();
		assertThat(bounded.recent(10)).isEmpty();
		bounded.save(record("next", "tests.memory"));
		assertThat(bounded.size()).isOne();
	}

	@Test
	void beyondTheMostEntriesTheOldestIsEvictedFirst() {
		InMemoryTaskRecordStore bounded = new InMemoryTaskRecordStore(Duration.ofDays(1), 3);
		for (int i = 0; i < 5; i++) {
			bounded.save(record("task-" + i, "tests.memory"));
		}
		assertThat(bounded.size()).isEqualTo(3);
		assertThat(bounded.find("task-0")).isEmpty();
		assertThat(bounded.find("task-1")).isEmpty();
		assertThat(bounded.find("task-2")).isPresent();
		assertThat(bounded.find("task-4")).isPresent();
	}

	/**
	 * A clock the test moves.
	 */
	static final class MovableClock extends Clock {

		private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
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

}

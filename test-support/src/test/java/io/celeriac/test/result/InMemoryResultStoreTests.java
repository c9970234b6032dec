package io.celeriac.test.result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;

import static org.assertj.core.api.Assertions.assertThat;

import io.celeriac.result.ResultStore;
import io.celeriac.result.memory.InMemoryResultStore;

/**
 * The result store contract in memory, and its bounds: expiry and the most entries.
 *
 * @author Celeriac team
 */
class InMemoryResultStoreTests extends ResultStoreContractTests {

	private final InMemoryResultStore store = new InMemoryResultStore();

	@Override
	protected ResultStore store() {
		return this.store;
	}

	@Test
	void aResultExpiresAfterCeleriacResultExpires() {
		MovableClock clock = new MovableClock();
		InMemoryResultStore bounded = new InMemoryResultStore(Duration.ofMinutes(10), 100, clock);
		bounded.save(result("kept-then-expired"));
		clock.advance(Duration.ofMinutes(9));
		assertThat(bounded.find("kept-then-expired")).isPresent();
		clock.advance(Duration.ofMinutes(2));
		assertThat(bounded.find("kept-then-expired")).isEmpty();
		bounded.save(result("next"));
		assertThat(bounded.size()).isOne();
	}

	@Test
	void beyondTheMostEntriesTheOldestIsEvictedFirst() {
		InMemoryResultStore bounded = new InMemoryResultStore(Duration.ofDays(1), 3);
		for (int i = 0; i < 5; i++) {
			bounded.save(result("task-" + i));
		}
		assertThat(bounded.size()).isEqualTo(3);
		assertThat(bounded.find("task-0")).isEmpty();
		assertThat(bounded.find("task-1")).isEmpty();
		assertThat(bounded.find("task-2")).isPresent();
		assertThat(bounded.find("task-4")).isPresent();
	}

	private static TaskResult result(String id) {
		return new TaskResult(id, TaskState.SUCCESS, IntNode.valueOf(1), null, "tests.memory", null, null, null, 0,
				null, null);
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

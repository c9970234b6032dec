package io.celeriac.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisDeadline}: the timeout a command written by the current thread
 * gets.
 *
 * @author Celeriac team
 */
class RedisDeadlineTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	@Test
	void outsideAnyCallACommandGetsTheCommandTimeout() {
		assertThat(RedisDeadline.timeoutNanos(COMMAND_TIMEOUT)).isEqualTo(COMMAND_TIMEOUT.toNanos());
	}

	@Test
	void aShorterCallerDeadlineWins() {
		long timeout = RedisDeadline.within(Duration.ofMillis(300), () -> RedisDeadline.timeoutNanos(COMMAND_TIMEOUT));
		assertThat(timeout).isEqualTo(Duration.ofMillis(300).toNanos());
	}

	@Test
	void aLongerCallerDeadlineLeavesTheCommandTimeout() {
		long timeout = RedisDeadline.within(Duration.ofSeconds(30), () -> RedisDeadline.timeoutNanos(COMMAND_TIMEOUT));
		assertThat(timeout).isEqualTo(COMMAND_TIMEOUT.toNanos());
	}

	@Test
	void aDeadlineAllButPassedStillGivesTheCommandAFloor() {
		long timeout = RedisDeadline.within(Duration.ofNanos(1), () -> RedisDeadline.timeoutNanos(COMMAND_TIMEOUT));
		assertThat(timeout).isEqualTo(RedisDeadline.FLOOR.toNanos());
	}

	@Test
	void noDeadlineMeansTheCommandTimeout() {
		long timeout = RedisDeadline.within(Duration.ZERO, () -> RedisDeadline.timeoutNanos(COMMAND_TIMEOUT));
		assertThat(timeout).isEqualTo(COMMAND_TIMEOUT.toNanos());
	}

	@Test
	void aBlockingCommandGetsTheTimeItBlocksOnTop() {
		long timeout = RedisDeadline.blocking(Duration.ofSeconds(5), () -> RedisDeadline.timeoutNanos(COMMAND_TIMEOUT));
		assertThat(timeout).isEqualTo(Duration.ofSeconds(7).toNanos());
	}

	@Test
	void theDeadlineEndsWithTheCall() {
		RedisDeadline.within(Duration.ofMillis(300), () -> "done");
		assertThat(RedisDeadline.timeoutNanos(COMMAND_TIMEOUT)).isEqualTo(COMMAND_TIMEOUT.toNanos());
	}

}

package io.celeriac.execution;

import java.time.Duration;

import io.celeriac.limit.LimiterUnavailableException;
import io.celeriac.limit.PermitTimeoutException;
import io.celeriac.lock.LockTimeoutException;
import io.celeriac.lock.LockUnavailableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RefusalPolicy}.
 *
 * @author Celeriac team
 */
class RefusalPolicyTests {

	@Test
	void locksAndLimitersThatRefuseAreRefusalsAlsoAsACause() {
		RuntimeException down = new RuntimeException("down");
		assertThat(RefusalPolicy.isRefusal(new LockTimeoutException("k", Duration.ZERO))).isTrue();
		assertThat(RefusalPolicy.isRefusal(new LockUnavailableException("no Redis", down))).isTrue();
		assertThat(RefusalPolicy.isRefusal(new PermitTimeoutException("l", "k", Duration.ZERO))).isTrue();
		assertThat(RefusalPolicy.isRefusal(new LimiterUnavailableException("no Redis", down))).isTrue();
		assertThat(RefusalPolicy
			.isRefusal(new IllegalStateException("wrapped", new LockTimeoutException("k", Duration.ZERO)))).isTrue();
	}

	@Test
	void otherExceptionsAreFailures() {
		assertThat(RefusalPolicy.isRefusal(new IllegalStateException("boom"))).isFalse();
		assertThat(RefusalPolicy.isRefusal(new IllegalStateException("boom", new RuntimeException()))).isFalse();
		assertThat(RefusalPolicy.isRefusal(null)).isFalse();
	}

	@Test
	void aTaskIsSentAgainUpToTheMaximumNumberOfRefusals() {
		RefusalPolicy policy = new RefusalPolicy(Duration.ofSeconds(1), 2);
		assertThat(policy.shouldRetry(1)).isTrue();
		assertThat(policy.shouldRetry(2)).isTrue();
		assertThat(policy.shouldRetry(3)).isFalse();
		assertThat(new RefusalPolicy(Duration.ofSeconds(1), 0).shouldRetry(1)).isFalse();
	}

	@Test
	void theDefaultsWaitTenSecondsUpTo360Times() {
		assertThat(RefusalPolicy.defaults()).isEqualTo(new RefusalPolicy(Duration.ofSeconds(10), 360));
	}

	@Test
	void invalidSettingsNameTheirProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RefusalPolicy(Duration.ofSeconds(-1), 1))
			.withMessageContaining("celeriac.worker.refusal.countdown");
		assertThatIllegalArgumentException().isThrownBy(() -> new RefusalPolicy(Duration.ZERO, -1))
			.withMessageContaining("celeriac.worker.refusal.max-retries");
	}

}

package io.celeriac.test.limit;

import java.time.Duration;
import java.util.UUID;

import io.celeriac.limit.Limiters;
import io.celeriac.limit.PermitTimeoutException;
import io.celeriac.limit.RateDecision;
import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.limit.RateLimiter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The contract of {@link RateLimiter}: every backend's test extends this class and
 * supplies the {@link Limiters} under test.
 *
 * @author Celeriac team
 */
public abstract class RateLimiterContractTests {

	/**
	 * Returns the limiters under test.
	 * @return the limiters
	 */
	protected abstract Limiters limiters();

	/**
	 * Returns a second instance on the same store, standing for another process. By
	 * default the same instance.
	 * @return other limiters on the same store
	 */
	protected Limiters otherProcess() {
		return limiters();
	}

	@Test
	void aBurstOfLimitIsAllowedThenRefusedWithTheTimeToWait() {
		String name = name();
		Duration period = Duration.ofMinutes(1);
		RateLimiter limiter = limiters().rateLimiter(name, 5, period);
		RateLimiter other = otherProcess().rateLimiter(name, 5, period);
		for (int i = 0; i < 5; i++) {
			assertThat(((i % 2 == 0) ? limiter : other).tryAcquire("key").allowed()).as("acquisition %d", i).isTrue();
		}
		RateDecision refused = other.tryAcquire("key");
		assertThat(refused.allowed()).isFalse();
		// the next acquisition is allowed one interval (period / limit) after the first
		assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(period.dividedBy(5));
	}

	@Test
	void keysAreLimitedSeparately() {
		RateLimiter limiter = limiters().rateLimiter(name(), 1, Duration.ofMinutes(1));
		assertThat(limiter.tryAcquire("a").allowed()).isTrue();
		assertThat(limiter.tryAcquire("a").allowed()).isFalse();
		assertThat(limiter.tryAcquire("b").allowed()).isTrue();
	}

	@Test
	void theRateRefillsOverTime() {
		RateLimiter limiter = limiters().rateLimiter(name(), 2, Duration.ofMillis(400));
		assertThat(limiter.tryAcquire("key").allowed()).isTrue();
		assertThat(limiter.tryAcquire("key").allowed()).isTrue();
		assertThat(limiter.tryAcquire("key").allowed()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> limiter.tryAcquire("key").allowed());
	}

	@Test
	void acquireWaitsForTheRateWhenItFitsTheTimeout() {
		RateLimiter limiter = limiters().rateLimiter(name(), 1, Duration.ofMillis(200));
		limiter.acquire("key", Duration.ZERO);
		limiter.acquire("key", Duration.ofSeconds(10));
		assertThat(limiter.tryAcquire("key").allowed()).isFalse();
	}

	@Test
	void acquireFailsAtOnceWhenTheRateDoesNotFitTheTimeout() {
		RateLimiter limiter = limiters().rateLimiter(name(), 1, Duration.ofMinutes(10));
		limiter.acquire("key", Duration.ZERO);
		assertThatThrownBy(() -> limiter.acquire("key", Duration.ofSeconds(1)))
			.isInstanceOf(PermitTimeoutException.class)
			.hasMessageContaining(limiter.name());
	}

	@Test
	void reservationsAfterABurstAreDueOneIntervalApartAcrossProcesses() {
		String name = name();
		Duration period = Duration.ofMinutes(1);
		Duration interval = period.dividedBy(2);
		Duration slack = Duration.ofSeconds(5);
		RateLimiter limiter = limiters().rateLimiter(name, 2, period);
		RateLimiter other = otherProcess().rateLimiter(name, 2, period);
		assertThat(limiter.reserve("key")).isZero();
		assertThat(other.reserve("key")).isZero();
		Duration third = limiter.reserve("key");
		Duration fourth = other.reserve("key");
		// each reservation takes the next turn, so none competes for the same one again
		assertThat(third).isGreaterThan(interval.minus(slack)).isLessThanOrEqualTo(interval);
		assertThat(fourth).isGreaterThan(period.minus(slack)).isLessThanOrEqualTo(period);
		assertThat(limiter.reserve("other key")).isZero();
	}

	@Test
	void reservationsAndAcquisitionsShareTheRate() {
		String name = name();
		Duration period = Duration.ofMinutes(1);
		RateLimiter limiter = limiters().rateLimiter(name, 2, period);
		assertThat(limiter.tryAcquire("key").allowed()).isTrue();
		assertThat(limiter.reserve("key")).isZero();
		Duration reserved = limiter.reserve("key");
		assertThat(reserved).isPositive();
		RateDecision refused = otherProcess().rateLimiter(name, 2, period).tryAcquire("key");
		assertThat(refused.allowed()).isFalse();
		// the turn after the reserved one
		assertThat(refused.retryAfter()).isGreaterThan(reserved);
		assertThatIllegalArgumentException().isThrownBy(() -> limiter.reserve("")).withMessageContaining("key");
	}

	@Test
	void configuredRateLimitersAreFoundByNameAndUnknownNamesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> limiters().rateLimiter("no-such-rate"))
			.withMessageContaining("no-such-rate")
			.withMessageContaining("celeriac.limiter.rate-limiters");
	}

	@Test
	void badArgumentsAreRejectedWithAClearMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitDefinition(0, Duration.ofSeconds(1)))
			.withMessageContaining("at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimitDefinition(1, Duration.ZERO))
			.withMessageContaining("period");
		RateLimiter limiter = limiters().rateLimiter(name(), 1, Duration.ofSeconds(1));
		assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryAcquire("")).withMessageContaining("key");
	}

	/**
	 * Returns a rate limiter name no other test uses.
	 * @return a unique name
	 */
	protected String name() {
		return "contract-" + UUID.randomUUID();
	}

}

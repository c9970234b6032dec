package io.celeriac.autoconfigure.operations;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.limit.LimiterAutoConfiguration;
import io.celeriac.autoconfigure.lock.LockAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.limit.Limiter;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.Permit;
import io.celeriac.limit.PermitTimeoutException;
import io.celeriac.limit.RateLimiter;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import io.celeriac.lock.LockTimeoutException;
import io.celeriac.operations.MeteredDistributedLock;
import io.celeriac.operations.MeteredLimiters;
import io.celeriac.operations.health.CeleriacBrokerHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Lock wait and hold times and limiter rejections, measured through the beans the
 * application uses (in memory).
 *
 * @author Celeriac team
 */
class LockAndLimiterMetricsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CeleriacAutoConfiguration.class, TaskAutoConfiguration.class, LockAutoConfiguration.class,
				LimiterAutoConfiguration.class, CeleriacOperationsAutoConfiguration.class))
		.withPropertyValues("celeriac.limiter.limiters.partner.limit=1",
				"celeriac.limiter.rate-limiters.emails.limit=1", "celeriac.limiter.rate-limiters.emails.period=1h");

	@Test
	void lockWaitsAreTimedByOutcomeAndHoldsUntilRelease() {
		this.contextRunner.run((context) -> {
			DistributedLock lock = context.getBean(DistributedLock.class);
			assertThat(lock).isInstanceOf(MeteredDistributedLock.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			HeldLock held = lock.tryAcquire("invoice:7", Duration.ofMinutes(1)).orElseThrow();
			assertThat(lock.tryAcquire("invoice:7", Duration.ofMinutes(1))).isEmpty();
			assertThatExceptionOfType(LockTimeoutException.class)
				.isThrownBy(() -> lock.acquire("invoice:7", Duration.ofMinutes(1), Duration.ofMillis(50)));
			assertThat(registry.get(MeteredDistributedLock.HELD).timer().count()).isZero();
			held.close();
			held.close();
			assertThat(registry.get(MeteredDistributedLock.WAIT).tag("outcome", "acquired").timer().count())
				.isEqualTo(1);
			assertThat(registry.get(MeteredDistributedLock.WAIT).tag("outcome", "busy").timer().count()).isEqualTo(1);
			assertThat(registry.get(MeteredDistributedLock.WAIT).tag("outcome", "timeout").timer().count())
				.isEqualTo(1);
			assertThat(registry.get(MeteredDistributedLock.WAIT)
				.tag("outcome", "timeout")
				.timer()
				.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
			assertThat(registry.get(MeteredDistributedLock.HELD).timer().count()).isEqualTo(1);
			try (HeldLock again = lock.acquire("invoice:7", Duration.ofMinutes(1), Duration.ofSeconds(1))) {
				assertThat(again.isHeld()).isTrue();
			}
			assertThat(registry.get(MeteredDistributedLock.WAIT).tag("outcome", "acquired").timer().count())
				.isEqualTo(2);
			assertThat(registry.get(MeteredDistributedLock.HELD).timer().count()).isEqualTo(2);
		});
	}

	@Test
	void limiterRejectionsAreCountedByLimiterAndKind() {
		this.contextRunner.run((context) -> {
			Limiters limiters = context.getBean(Limiters.class);
			assertThat(limiters).isInstanceOf(MeteredLimiters.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Limiter partner = limiters.limiter("partner");
			Optional<Permit> permit = partner.tryAcquire("quote:1");
			assertThat(permit).isPresent();
			assertThat(partner.tryAcquire("quote:2")).isEmpty();
			assertThatExceptionOfType(PermitTimeoutException.class)
				.isThrownBy(() -> limiters.limiter("partner").acquire("quote:3", Duration.ofMillis(20)));
			permit.get().close();
			assertThat(partner.tryAcquire("quote:4")).isPresent();
			RateLimiter emails = limiters.rateLimiter("emails");
			assertThat(emails.tryAcquire("customer:1").allowed()).isTrue();
			assertThat(emails.tryAcquire("customer:1").allowed()).isFalse();
			assertThat(registry.get(MeteredLimiters.REJECTIONS)
				.tag("limiter", "partner")
				.tag("kind", "concurrency")
				.counter()
				.count()).isEqualTo(2);
			assertThat(registry.get(MeteredLimiters.REJECTIONS)
				.tag("limiter", "emails")
				.tag("kind", "rate")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void locksAndLimitersAreMeteredInAnApplicationThatHasNoBroker() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CeleriacAutoConfiguration.class, LockAutoConfiguration.class, LimiterAutoConfiguration.class,
				CeleriacOperationsAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DistributedLock.class)).isInstanceOf(MeteredDistributedLock.class);
				assertThat(context).doesNotHaveBean(CeleriacBrokerHealthIndicator.class);
			});
	}

}

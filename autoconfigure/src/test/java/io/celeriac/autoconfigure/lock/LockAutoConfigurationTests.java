package io.celeriac.autoconfigure.lock;

import java.time.Duration;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import io.celeriac.lock.LockTimeoutException;
import io.celeriac.lock.Locked;
import io.celeriac.lock.memory.InMemoryDistributedLock;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LockAutoConfiguration}.
 *
 * @author Celeriac team
 */
@RealServices
class LockAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				CeleriacAutoConfiguration.class, LockAutoConfiguration.class));

	@Test
	void withNoServerConfiguredTheLockIsInMemory() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(DistributedLock.class)
			.getBean(DistributedLock.class)
			.isInstanceOf(InMemoryDistributedLock.class));
	}

	@Test
	void aConfiguredRedisIsChosenAndUsedUnderTheKeyPrefix(RedisEndpoint redis, ServiceIsolation isolation) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.redis.key-prefix=" + isolation.redisKeyPrefix())
			.run((context) -> {
				DistributedLock lock = context.getBean(DistributedLock.class);
				assertThat(lock).isInstanceOf(RedisDistributedLock.class);
				try (HeldLock held = lock.acquire("configured", Duration.ofMinutes(1), Duration.ZERO)) {
					assertThat(context.getBean(StringRedisTemplate.class)
						.hasKey(isolation.redisKeyPrefix() + "lock:{configured}")).isTrue();
				}
			});
	}

	@Test
	void anExplicitMemoryTypeWinsOverAConfiguredRedis() {
		this.contextRunner.withPropertyValues("spring.data.redis.host=redis.example", "celeriac.lock.type=memory")
			.run((context) -> assertThat(context.getBean(DistributedLock.class))
				.isInstanceOf(InMemoryDistributedLock.class));
	}

	@Test
	void aUserDefinedLockWins() {
		this.contextRunner.withUserConfiguration(UserLockConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(DistributedLock.class)
				.getBean(DistributedLock.class)
				.isSameAs(context.getBean(UserLockConfiguration.class).lock));
	}

	@Test
	void withoutSpringDataRedisTheRedisLockIsNotConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("celeriac.lock.type=redis")
			.run((context) -> assertThat(context).doesNotHaveBean(DistributedLock.class));
	}

	@Test
	void withoutCeleriacLocksNothingIsConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DistributedLock.class))
			.run((context) -> assertThat(context).doesNotHaveBean("celeriacLockedAdvisor")
				.doesNotHaveBean(DistributedLock.class));
	}

	@Test
	void lockedMethodsRunWhileHoldingTheirLockWithTheKeyFromSpel() {
		this.contextRunner.withUserConfiguration(ReportsConfiguration.class).run((context) -> {
			Reports reports = context.getBean(Reports.class);
			DistributedLock lock = context.getBean(DistributedLock.class);
			assertThat(reports.settle(42, lock)).isTrue();
			assertThat(lock.isLocked("invoice:42")).isFalse();
		});
	}

	@Test
	void aLockedMethodFailsWithLockTimeoutWhenItsKeyIsHeld() {
		this.contextRunner.withUserConfiguration(ReportsConfiguration.class).run((context) -> {
			Reports reports = context.getBean(Reports.class);
			try (HeldLock held = context.getBean(DistributedLock.class)
				.acquire("invoice:7", Duration.ofMinutes(1), Duration.ZERO)) {
				assertThatExceptionOfType(LockTimeoutException.class)
					.isThrownBy(() -> reports.settle(7, context.getBean(DistributedLock.class)))
					.withMessageContaining("invoice:7");
			}
			assertThat(reports.ran).isFalse();
		});
	}

	@Test
	void theDefaultsComeFromProperties() {
		this.contextRunner.withUserConfiguration(ReportsConfiguration.class)
			.withPropertyValues("celeriac.lock.default-timeout=0s")
			.run((context) -> {
				Reports reports = context.getBean(Reports.class);
				DistributedLock lock = context.getBean(DistributedLock.class);
				try (HeldLock held = lock.acquire(Reports.class.getName() + ".nightly", Duration.ofMinutes(1),
						Duration.ZERO)) {
					assertThatExceptionOfType(LockTimeoutException.class).isThrownBy(reports::nightly)
						.satisfies((ex) -> assertThat(ex.getTimeout()).isEqualTo(Duration.ZERO));
				}
			});
	}

	@Test
	void aKeyThatEvaluatesToNothingIsRejected() {
		this.contextRunner.withUserConfiguration(ReportsConfiguration.class).run((context) -> {
			Reports reports = context.getBean(Reports.class);
			assertThatIllegalArgumentException().isThrownBy(() -> reports.named(null))
				.withMessageContaining("empty key");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserLockConfiguration {

		final InMemoryDistributedLock lock = new InMemoryDistributedLock();

		@Bean
		DistributedLock userLock() {
			return this.lock;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReportsConfiguration {

		@Bean
		Reports reports() {
			return new Reports();
		}

	}

	static class Reports {

		volatile boolean ran;

		@Locked(key = "'invoice:' + #invoiceId", expires = "30s", timeout = "100ms")
		public boolean settle(long invoiceId, DistributedLock lock) {
			this.ran = true;
			return lock.isLocked("invoice:" + invoiceId);
		}

		@Locked
		public void nightly() {
			this.ran = true;
		}

		@Locked(key = "#name")
		public void named(String name) {
			this.ran = true;
		}

	}

}

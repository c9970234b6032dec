package io.celeriac.autoconfigure.limit;

import java.time.Duration;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.limit.Limited;
import io.celeriac.limit.Limiter;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.Permit;
import io.celeriac.limit.PermitTimeoutException;
import io.celeriac.limit.RateLimiter;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.limit.redis.RedisLimiters;
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

/**
 * Tests for {@link LimiterAutoConfiguration}.
 *
 * @author Celeriac team
 */
@RealServices
class LimiterAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				CeleriacAutoConfiguration.class, LimiterAutoConfiguration.class))
		.withPropertyValues("celeriac.limiter.limiters.partner-api.limit=2",
				"celeriac.limiter.limiters.partner-api.expires=45s", "celeriac.limiter.rate-limiters.emails.limit=10",
				"celeriac.limiter.rate-limiters.emails.period=1m");

	@Test
	void withNoServerConfiguredTheLimitersAreInMemoryWithTheConfiguredNames() {
		this.contextRunner.run((context) -> {
			Limiters limiters = context.getBean(Limiters.class);
			assertThat(limiters).isInstanceOf(InMemoryLimiters.class);
			Limiter limiter = limiters.limiter("partner-api");
			assertThat(limiter.limit()).isEqualTo(2);
			assertThat(limiter.expires()).isEqualTo(Duration.ofSeconds(45));
			RateLimiter rate = limiters.rateLimiter("emails");
			assertThat(rate.limit()).isEqualTo(10);
			assertThat(rate.period()).isEqualTo(Duration.ofMinutes(1));
		});
	}

	@Test
	void aConfiguredRedisIsChosenAndUsedUnderTheKeyPrefix(RedisEndpoint redis, ServiceIsolation isolation) {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.redis.key-prefix=" + isolation.redisKeyPrefix())
			.run((context) -> {
				Limiters limiters = context.getBean(Limiters.class);
				assertThat(limiters).isInstanceOf(RedisLimiters.class);
				try (Permit permit = limiters.limiter("partner-api").tryAcquire("call").orElseThrow()) {
					assertThat(context.getBean(StringRedisTemplate.class)
						.hasKey(isolation.redisKeyPrefix() + "limiter:{partner-api}:holders")).isTrue();
				}
			});
	}

	@Test
	void anInvalidLimiterFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("celeriac.limiter.limiters.broken.limit=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(
						"Invalid celeriac.limiter.limiters.broken: A limiter's limit must be at least 1"));
	}

	@Test
	void aUserDefinedLimitersBeanWins() {
		this.contextRunner.withUserConfiguration(UserLimitersConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(Limiters.class)
				.getBean(Limiters.class)
				.isSameAs(context.getBean(UserLimitersConfiguration.class).limiters));
	}

	@Test
	void withoutSpringDataRedisTheRedisLimitersAreNotConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("celeriac.limiter.type=redis")
			.run((context) -> assertThat(context).doesNotHaveBean(Limiters.class));
	}

	@Test
	void withoutCeleriacLimitersNothingIsConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Limiters.class))
			.run((context) -> assertThat(context).doesNotHaveBean("celeriacLimitedAdvisor")
				.doesNotHaveBean(Limiters.class));
	}

	@Test
	void limitedMethodsHoldAPlaceWhileTheyRunAndFailWhenNoneIsFree() {
		this.contextRunner.withUserConfiguration(PartnerConfiguration.class).run((context) -> {
			Partner partner = context.getBean(Partner.class);
			Limiter limiter = context.getBean(Limiters.class).limiter("partner-api");
			assertThat(partner.quote("sku-1", limiter)).isEqualTo(1);
			assertThat(limiter.holders()).isZero();
			try (Permit first = limiter.tryAcquire("a").orElseThrow();
					Permit second = limiter.tryAcquire("b").orElseThrow()) {
				assertThatExceptionOfType(PermitTimeoutException.class)
					.isThrownBy(() -> partner.quote("sku-2", limiter))
					.withMessageContaining("partner-api");
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserLimitersConfiguration {

		final InMemoryLimiters limiters = new InMemoryLimiters();

		@Bean
		Limiters userLimiters() {
			return this.limiters;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PartnerConfiguration {

		@Bean
		Partner partner() {
			return new Partner();
		}

	}

	static class Partner {

		@Limited(value = "partner-api", key = "'quote:' + #sku", timeout = "50ms")
		public int quote(String sku, Limiter limiter) {
			return limiter.holders();
		}

	}

}

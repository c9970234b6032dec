package io.celeriac.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConditionalOnBackend}, on a capability auto-configuration shaped as
 * the real ones are: one nested configuration per backend, each bean backing off for a
 * user's.
 *
 * @author Celeriac team
 */
class ConditionalOnBackendTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(CeleriacAutoConfiguration.class, ExampleCapabilityAutoConfiguration.class));

	@Test
	void inMemoryBackendIsTheDefault() {
		this.contextRunner.run((context) -> assertThat(context).getBean(Example.class).isInstanceOf(InMemory.class));
	}

	@Test
	void configuredRedisSelectsTheRedisBackend() {
		this.contextRunner.withPropertyValues("spring.data.redis.host=redis.example")
			.run((context) -> assertThat(context).getBean(Example.class).isInstanceOf(OnRedis.class));
	}

	@Test
	void explicitTypeSelectsTheRedisBackendWithoutRedisProperties() {
		this.contextRunner.withPropertyValues("celeriac.lock.type=redis")
			.run((context) -> assertThat(context).getBean(Example.class).isInstanceOf(OnRedis.class));
	}

	@Test
	void explicitMemoryTypeWinsOverConfiguredRedis() {
		this.contextRunner.withPropertyValues("spring.data.redis.host=redis.example", "celeriac.lock.type=memory")
			.run((context) -> assertThat(context).getBean(Example.class).isInstanceOf(InMemory.class));
	}

	@Test
	void aUserBeanReplacesEitherBackend() {
		this.contextRunner.withUserConfiguration(UserConfiguration.class)
			.withPropertyValues("celeriac.lock.type=redis")
			.run((context) -> assertThat(context).getBean(Example.class).isInstanceOf(UserOwn.class));
		this.contextRunner.withUserConfiguration(UserConfiguration.class)
			.run((context) -> assertThat(context).getBean(Example.class).isInstanceOf(UserOwn.class));
	}

	@Test
	void theRedisBackendBacksOffWhenSpringDataRedisIsMissing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("celeriac.lock.type=redis")
			.run((context) -> assertThat(context).doesNotHaveBean(Example.class));
	}

	@Test
	void conditionReportSaysWhyTheBackendWasChosen() {
		this.contextRunner.run((context) -> {
			List<String> messages = ConditionEvaluationReport.get(context.getBeanFactory())
				.getConditionAndOutcomesBySource()
				.values()
				.stream()
				.flatMap((outcomes) -> outcomes.stream())
				.map((outcome) -> outcome.getOutcome().getMessage())
				.toList();
			assertThat(messages).anyMatch((message) -> message.contains("celeriac.lock.type=memory")
					&& message.contains("memory chosen by default (redis when Redis (spring.data.redis.host"));
		});
	}

	interface Example {

	}

	static class InMemory implements Example {

	}

	static class OnRedis implements Example {

	}

	static class UserOwn implements Example {

	}

	@AutoConfiguration(after = CeleriacAutoConfiguration.class)
	@Import({ ExampleCapabilityAutoConfiguration.RedisBackend.class,
			ExampleCapabilityAutoConfiguration.MemoryBackend.class })
	static class ExampleCapabilityAutoConfiguration {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(RedisConnectionFactory.class)
		@ConditionalOnBackend(capability = Capability.LOCK, value = "redis")
		static class RedisBackend {

			@Bean
			@ConditionalOnMissingBean
			Example redisExample() {
				return new OnRedis();
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBackend(capability = Capability.LOCK, value = "memory")
		static class MemoryBackend {

			@Bean
			@ConditionalOnMissingBean
			Example inMemoryExample() {
				return new InMemory();
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConfiguration {

		@Bean
		Example userExample() {
			return new UserOwn();
		}

	}

}

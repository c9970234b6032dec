package io.celeriac.autoconfigure.redis;

import java.time.Duration;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.lock.LockAutoConfiguration;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import io.celeriac.redis.RedisClientSettings;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisClientAutoConfiguration}.
 *
 * @author Celeriac team
 */
@RealServices
class RedisClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, CeleriacAutoConfiguration.class,
				RedisClientAutoConfiguration.class));

	@Test
	void theApplicationsLettuceClientFailsFastAndReconnectsSoon() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(FailFastRedisCustomizer.class);
			LettuceClientConfiguration client = clientConfiguration(context);
			assertThat(client.getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
			ClientOptions options = client.getClientOptions().orElseThrow();
			assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			assertThat(options.isAutoReconnect()).isTrue();
			assertThat(options.getTimeoutOptions().isTimeoutCommands()).isTrue();
			assertThat(longestReconnectDelay(context)).isEqualTo(Duration.ofMillis(500));
		});
	}

	@Test
	void springDataRedisTimeoutWinsOverCeleriacsCommandTimeout() {
		this.contextRunner.withPropertyValues("spring.data.redis.timeout=7s", "celeriac.redis.command-timeout=3s")
			.run((context) -> {
				assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(context.getBean(RedisClientSettings.class).commandTimeout())
					.isEqualTo(Duration.ofSeconds(7));
			});
	}

	@Test
	void theCommandTimeoutAndReconnectDelayAreConfigurable() {
		this.contextRunner
			.withPropertyValues("celeriac.redis.command-timeout=3s", "celeriac.redis.max-reconnect-delay=1s")
			.run((context) -> {
				assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(longestReconnectDelay(context)).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void failFastCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("celeriac.redis.fail-fast=false").run((context) -> {
			assertThat(context).doesNotHaveBean(FailFastRedisCustomizer.class)
				.doesNotHaveBean(RedisClientSettings.class);
			assertThat(clientConfiguration(context).getClientOptions().orElseThrow().getDisconnectedBehavior())
				.isEqualTo(ClientOptions.DisconnectedBehavior.DEFAULT);
		});
	}

	@Test
	void userSettingsWin() {
		this.contextRunner.withUserConfiguration(UserSettingsConfiguration.class).run((context) -> {
			assertThat(context).getBean(RedisClientSettings.class)
				.isSameAs(context.getBean(UserSettingsConfiguration.class).settings);
			assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofMillis(1500));
		});
	}

	@Test
	void aUserCustomizerWins() {
		this.contextRunner.withUserConfiguration(UserCustomizerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(FailFastRedisCustomizer.class)
				.getBean(FailFastRedisCustomizer.class)
				.isSameAs(context.getBean(UserCustomizerConfiguration.class).customizer);
			assertThat(clientConfiguration(context).getCommandTimeout()).isEqualTo(Duration.ofSeconds(9));
		});
	}

	@Test
	void theApplicationsOwnClientOptionsCustomizerHasTheLastWord() {
		this.contextRunner.withUserConfiguration(UserClientOptionsConfiguration.class)
			.run((context) -> assertThat(
					clientConfiguration(context).getClientOptions().orElseThrow().getDisconnectedBehavior())
				.isEqualTo(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS));
	}

	@Test
	void locksWorkOnTheCustomizedClient(RedisEndpoint redis, ServiceIsolation isolation) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(LockAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.redis.key-prefix=" + isolation.redisKeyPrefix())
			.run((context) -> {
				DistributedLock lock = context.getBean(DistributedLock.class);
				try (HeldLock held = lock.acquire("customized", Duration.ofMinutes(1), Duration.ofSeconds(1))) {
					assertThat(held.isHeld()).isTrue();
				}
			});
	}

	private static LettuceClientConfiguration clientConfiguration(AssertableApplicationContext context) {
		return context.getBean(LettuceConnectionFactory.class).getClientConfiguration();
	}

	private static Duration longestReconnectDelay(AssertableApplicationContext context) {
		return context.getBean(ClientResources.class).reconnectDelay().createDelay(64);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserSettingsConfiguration {

		final RedisClientSettings settings = new RedisClientSettings(Duration.ofMillis(1500), Duration.ofSeconds(1));

		@Bean
		RedisClientSettings userRedisClientSettings() {
			return this.settings;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCustomizerConfiguration {

		final FailFastRedisCustomizer customizer = new FailFastRedisCustomizer(
				new RedisClientSettings(Duration.ofSeconds(9), Duration.ofSeconds(1)));

		@Bean
		FailFastRedisCustomizer userCustomizer() {
			return this.customizer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientOptionsConfiguration {

		@Bean
		LettuceClientOptionsBuilderCustomizer acceptCommandsWhileDisconnected() {
			return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
		}

	}

}

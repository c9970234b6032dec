package io.celeriac.autoconfigure.redis;

import java.time.Duration;

import io.celeriac.redis.RedisClientSettings;
import io.lettuce.core.ClientOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that makes the application's Lettuce
 * client fail fast while Redis is down and come back soon after it returns
 * ({@code celeriac.redis.fail-fast}, on by default). The command timeout is
 * {@code spring.data.redis.timeout} when set, else
 * {@code celeriac.redis.command-timeout}.
 *
 * @author Celeriac team
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ ClientOptions.class, LettuceClientOptionsBuilderCustomizer.class, RedisClientSettings.class })
@ConditionalOnBooleanProperty(name = "celeriac.redis.fail-fast", matchIfMissing = true)
@EnableConfigurationProperties(RedisProperties.class)
public final class RedisClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisClientSettings celeriacRedisClientSettings(RedisProperties redis,
			ObjectProvider<DataRedisProperties> dataRedis) {
		DataRedisProperties springRedis = dataRedis.getIfAvailable();
		@Nullable Duration springTimeout = (springRedis != null) ? springRedis.getTimeout() : null;
		return new RedisClientSettings((springTimeout != null) ? springTimeout : redis.getCommandTimeout(),
				redis.getMaxReconnectDelay());
	}

	@Bean
	@ConditionalOnMissingBean
	FailFastRedisCustomizer celeriacFailFastRedisCustomizer(RedisClientSettings settings) {
		return new FailFastRedisCustomizer(settings);
	}

}

package io.celeriac.autoconfigure.redis;

import io.celeriac.redis.RedisClientSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Applies {@link RedisClientSettings} to the Lettuce client that Spring Boot builds,
 * which every Redis capability of Celeriac uses: commands are rejected while
 * disconnected, time out after the command timeout or their caller's deadline, and
 * reconnection attempts are at most the maximum reconnect delay apart. It runs before the
 * application's own customizers (order 0), so that theirs have the last word.
 *
 * @author Celeriac team
 */
public class FailFastRedisCustomizer implements LettuceClientOptionsBuilderCustomizer,
		LettuceClientConfigurationBuilderCustomizer, ClientResourcesBuilderCustomizer, Ordered {

	private final RedisClientSettings settings;

	/**
	 * Creates a customizer that applies the given settings.
	 * @param settings the command timeout and reconnect delay
	 */
	public FailFastRedisCustomizer(RedisClientSettings settings) {
		this.settings = settings;
	}

	@Override
	public void customize(ClientOptions.Builder clientOptionsBuilder) {
		this.settings.applyTo(clientOptionsBuilder);
	}

	@Override
	public void customize(LettuceClientConfigurationBuilder clientConfigurationBuilder) {
		clientConfigurationBuilder.commandTimeout(this.settings.commandTimeout());
	}

	@Override
	public void customize(ClientResources.Builder clientResourcesBuilder) {
		this.settings.applyTo(clientResourcesBuilder);
	}

	@Override
	public int getOrder() {
		return 0;
	}

}

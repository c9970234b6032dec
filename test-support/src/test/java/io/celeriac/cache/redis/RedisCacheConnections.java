package io.celeriac.cache.redis;

import java.time.Duration;
import java.util.UUID;

import io.celeriac.cache.CacheEntryKey;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connections a Redis cache test class shares: the connection factory its stores use,
 * another for the stores of "another process", a plain Lettuce connection that looks at
 * and changes the keys behind the stores' backs, and the class's key prefix.
 *
 * @author Celeriac team
 */
final class RedisCacheConnections implements AutoCloseable {

	private final LettuceConnectionFactory connectionFactory;

	private final LettuceConnectionFactory otherConnectionFactory;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final String classPrefix;

	private RedisCacheConnections(RedisEndpoint redis, ServiceIsolation isolation) {
		this.connectionFactory = connectionFactory(redis);
		this.otherConnectionFactory = connectionFactory(redis);
		this.client = RedisClient.create(redis.uri());
		this.connection = this.client.connect();
		this.classPrefix = isolation.redisKeyPrefix();
	}

	static RedisCacheConnections open(RedisEndpoint redis, ServiceIsolation isolation) {
		return new RedisCacheConnections(redis, isolation);
	}

	/**
	 * Returns a started connection factory of its own on a Redis.
	 * @param redis the Redis
	 * @return the factory, to be destroyed by the caller
	 */
	static LettuceConnectionFactory connectionFactory(RedisEndpoint redis) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	LettuceConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	LettuceConnectionFactory otherConnectionFactory() {
		return this.otherConnectionFactory;
	}

	RedisCommands<String, String> sync() {
		return this.connection.sync();
	}

	/**
	 * Returns a key prefix no other test uses.
	 * @return the prefix
	 */
	String newKeyPrefix() {
		return this.classPrefix + UUID.randomUUID().toString().substring(0, 8) + ":";
	}

	/**
	 * Makes an entry older by rewriting its creation time, keeping its expiry.
	 * @param store the store holding it
	 * @param key the entry
	 * @param age how much older
	 */
	void age(RedisCacheStore store, CacheEntryKey key, Duration age) {
		String entry = store.entryKey(key);
		String value = sync().get(entry);
		assertThat(value).isNotNull();
		int colon = value.indexOf(':');
		long created = Long.parseLong(value.substring(0, colon));
		sync().set(entry, (created - age.toMillis()) + value.substring(colon), SetArgs.Builder.keepttl());
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
		this.connectionFactory.destroy();
		this.otherConnectionFactory.destroy();
	}

}

package io.celeriac.cache.redis;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.celeriac.cache.CacheStoreException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Runs the {@link RedisCacheStore}'s commands on the connection factory's shared native
 * connection (or a borrowed one when the factory shares none), each waiting at most the
 * store's timeout, so that every command fails the same way: with a
 * {@link CacheStoreException}.
 *
 * @author Celeriac team
 */
final class RedisCalls {

	private final LettuceConnectionFactory connectionFactory;

	private final Duration timeout;

	/**
	 * The shared native connection's commands, fetched once instead of through a
	 * {@link RedisConnection} per command; {@code null} when the factory does not share
	 * its connection.
	 */
	private volatile @Nullable RedisAsyncCommands<byte[], byte[]> sharedCommands;

	/**
	 * Creates the calls.
	 * @param connectionFactory the store's connection factory
	 * @param timeout how long each command may take
	 */
	RedisCalls(LettuceConnectionFactory connectionFactory, Duration timeout) {
		this.connectionFactory = connectionFactory;
		this.timeout = timeout;
	}

	/**
	 * Runs a command and waits for its reply.
	 * @param <T> the reply's type
	 * @param command sends the command
	 * @return the reply
	 * @throws CacheStoreException if the command fails or times out
	 */
	<T> T run(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
		return run(command, command);
	}

	/**
	 * Runs a command that may need a script Redis does not hold yet, and waits for its
	 * reply.
	 * @param <T> the reply's type
	 * @param command sends the command, e.g. an {@code EVALSHA}
	 * @param withoutScriptCache sends it again when Redis does not hold the script, e.g.
	 * as an {@code EVAL}
	 * @return the reply
	 * @throws CacheStoreException if the command fails or times out
	 */
	<T> T run(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command,
			Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> withoutScriptCache) {
		try {
			RedisAsyncCommands<byte[], byte[]> shared = sharedCommands();
			if (shared != null) {
				return run(shared, command, withoutScriptCache);
			}
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return run(((LettuceConnection) connection).getNativeConnection(), command, withoutScriptCache);
			}
		}
		catch (ExecutionException ex) {
			throw new CacheStoreException("Redis failed: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new CacheStoreException("Redis did not answer within " + this.timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CacheStoreException("Interrupted while waiting for Redis", ex);
		}
		catch (RuntimeException ex) {
			throw new CacheStoreException("Redis failed: " + ex.getMessage(), ex);
		}
	}

	private <T> T run(RedisClusterAsyncCommands<byte[], byte[]> commands,
			Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command,
			Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> withoutScriptCache)
			throws ExecutionException, TimeoutException, InterruptedException {
		try {
			return await(command.apply(commands));
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RedisNoScriptException) {
				return await(withoutScriptCache.apply(commands));
			}
			throw ex;
		}
	}

	/**
	 * Returns the factory's shared native connection, which Lettuce reconnects itself,
	 * fetched again only when the factory replaced it; {@code null} when the factory does
	 * not share one (each command then borrows a connection).
	 */
	private @Nullable RedisAsyncCommands<byte[], byte[]> sharedCommands() {
		RedisAsyncCommands<byte[], byte[]> shared = this.sharedCommands;
		if (shared != null && shared.getStatefulConnection().isOpen()) {
			return shared;
		}
		if (!this.connectionFactory.getShareNativeConnection()) {
			return null;
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			if (((LettuceConnection) connection)
				.getNativeConnection() instanceof RedisAsyncCommands<byte[], byte[]> async) {
				this.sharedCommands = async;
				return async;
			}
		}
		return null;
	}

	private <T> T await(RedisFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
		try {
			return future.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException | InterruptedException ex) {
			future.cancel(true);
			throw ex;
		}
	}

}

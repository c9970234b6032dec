package io.celeriac.cache.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.celeriac.cache.CacheConfigurationException;
import io.celeriac.cache.CacheEntryKey;
import io.celeriac.cache.CacheLookup;
import io.celeriac.cache.CacheStatistics;
import io.celeriac.cache.CacheStore;
import io.celeriac.cache.CacheStoreException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.DefaultRedisScript;

/**
 * A {@link CacheStore} in Redis, shared by every process that uses the same key prefix.
 * Each region's keys carry the region as hash tag, so that they share one Redis Cluster
 * slot:
 * <ul>
 * <li>{@code <prefix>cache:{<region>}:entry:<namespace>:<arguments>}: the entry, its
 * creation time in milliseconds of the server's clock, a colon and the JSON value,
 * expiring after the region's store expiration;</li>
 * <li>{@code <prefix>cache:{<region>}:lock:<namespace>:<arguments>}: the entry's write
 * lock;</li>
 * <li>{@code <prefix>cache:{<region>}:invalidated} and
 * {@code <prefix>cache:{<region>}:invalidated:<namespace>}: when the region and a
 * function were last invalidated;</li>
 * <li>{@code <prefix>cache:{<region>}:statistics}: a hash of counters,
 * {@code hits:<namespace>}, {@code misses:<namespace>} and
 * {@code stale:<namespace>}.</li>
 * </ul>
 * A fresh hit costs one {@code MGET} of the entry and its two invalidation times, which
 * Redis answers atomically, so an invalidated entry is never served; its expiry is
 * checked against the server's clock as last seen by this store. Hits are counted in this
 * process and added to the statistics hash within the flush interval (and before this
 * store reads statistics or closes). Anything but a fresh hit, and every lookup before
 * this store has seen the server's clock, goes through one Lua script that reads the
 * entry, takes its write lock and counts the outcome atomically.
 * <p>
 * Every command waits at most the given timeout; a command that fails or times out throws
 * {@link CacheStoreException}. The connection factory must be Lettuce's.
 *
 * @author Celeriac team
 */
public class RedisCacheStore implements CacheStore, AutoCloseable {

	private static final byte[] COUNT = bytes("1");

	private static final byte[] DO_NOT_COUNT = bytes("0");

	/**
	 * How long the server's clock as last seen is trusted to check a hit's expiry before
	 * a lookup goes through the script again, which reads the clock anew.
	 */
	private static final long CLOCK_TRUSTED_MILLIS = 30_000;

	private final Script lookup = Script.load("cache-lookup.lua");

	private final Script store = Script.load("cache-store.lua");

	private final Script release = Script.load("cache-release.lua");

	private final Script invalidate = Script.load("cache-invalidate.lua");

	private final RedisConnectionFactory connectionFactory;

	private final String keyPrefix;

	private final Duration timeout;

	private final HitCounts hits;

	/**
	 * The server's clock minus this process's, in milliseconds, and when this process saw
	 * it (its own clock); {@code null} until a script answered.
	 */
	private volatile @Nullable ClockOffset clock;

	/**
	 * Creates a store that adds hits to the statistics within a second.
	 * @param connectionFactory Spring Boot's Lettuce connection factory
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param timeout how long each command may take before the call runs uncached
	 * @throws CacheConfigurationException if the factory is not Lettuce's
	 */
	public RedisCacheStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout) {
		this(connectionFactory, keyPrefix, timeout, Duration.ofSeconds(1));
	}

	/**
	 * Creates a store.
	 * @param connectionFactory Spring Boot's Lettuce connection factory
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param timeout how long each command may take before the call runs uncached
	 * @param hitsFlushInterval how long hits counted in this process may wait before they
	 * are added to the statistics in Redis
	 * @throws CacheConfigurationException if the factory is not Lettuce's
	 */
	public RedisCacheStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration hitsFlushInterval) {
		if (!(connectionFactory instanceof LettuceConnectionFactory)) {
			throw new CacheConfigurationException("The Redis cache store needs Lettuce, not "
					+ connectionFactory.getClass().getName() + "; use Lettuce or set celeriac.cache.type=memory");
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new CacheConfigurationException("The Redis cache timeout must be positive, not " + timeout);
		}
		this.connectionFactory = connectionFactory;
		this.keyPrefix = keyPrefix;
		this.timeout = timeout;
		this.hits = new HitCounts(hitsFlushInterval, this::addHits);
	}

	@Override
	public CacheLookup lookup(CacheEntryKey key, Duration expires, String lockToken, Duration lockExpires,
			boolean statistics) {
		String region = regionKey(key.region());
		String entry = entryKey(key);
		String regionInvalidated = region + "invalidated";
		String functionInvalidated = regionInvalidated + ":" + key.namespace();
		ClockOffset clock = this.clock;
		long local = System.currentTimeMillis();
		if (clock != null && local - clock.seenAt() < CLOCK_TRUSTED_MILLIS) {
			CacheLookup hit = freshHit(entry, regionInvalidated, functionInvalidated, expires, local + clock.offset());
			if (hit != null) {
				if (statistics) {
					this.hits.count(region + "statistics", "hits:" + key.namespace());
				}
				return hit;
			}
		}
		List<Object> reply = execute(this.lookup, ScriptOutputType.MULTI,
				keys(entry, regionInvalidated, lockKey(key), region + "statistics", functionInvalidated),
				bytes(key.namespace()), bytes(Long.toString(expires.toMillis())), bytes(lockToken),
				bytes(Long.toString(lockExpires.toMillis())), statistics ? COUNT : DO_NOT_COUNT);
		long now = (Long) reply.get(2);
		long seenAt = System.currentTimeMillis();
		this.clock = new ClockOffset(now - seenAt, seenAt);
		CacheLookup.Outcome outcome = CacheLookup.Outcome.valueOf(string(reply.get(0)));
		String value = string(reply.get(1));
		return new CacheLookup(outcome, value.isEmpty() ? null : value, now);
	}

	private @Nullable CacheLookup freshHit(String entry, String regionInvalidated, String functionInvalidated,
			Duration expires, long now) {
		List<KeyValue<byte[], byte[]>> values = command(
				(commands) -> commands.mget(bytes(entry), bytes(regionInvalidated), bytes(functionInvalidated)));
		String found = text(values.get(0));
		int colon = (found != null) ? found.indexOf(':') : -1;
		if (colon < 1) {
			return null;
		}
		long created = Long.parseLong(found, 0, colon, 10);
		if (created <= millis(values.get(1)) || created <= millis(values.get(2))
				|| now - created >= expires.toMillis()) {
			return null;
		}
		return new CacheLookup(CacheLookup.Outcome.FRESH, found.substring(colon + 1), now);
	}

	private static @Nullable String text(KeyValue<byte[], byte[]> value) {
		return value.hasValue() ? new String(value.getValue(), StandardCharsets.UTF_8) : null;
	}

	private static long millis(KeyValue<byte[], byte[]> value) {
		String text = text(value);
		return (text != null) ? Long.parseLong(text) : Long.MIN_VALUE;
	}

	@Override
	public void store(CacheEntryKey key, String value, long createdAt, Duration storeExpiration, String lockToken) {
		execute(this.store, ScriptOutputType.INTEGER, keys(entryKey(key), lockKey(key)), bytes(value),
				bytes(Long.toString(createdAt)), bytes(Long.toString(storeExpiration.toMillis())), bytes(lockToken));
	}

	@Override
	public void release(CacheEntryKey key, String lockToken) {
		execute(this.release, ScriptOutputType.INTEGER, keys(lockKey(key)), bytes(lockToken));
	}

	@Override
	public void invalidateRegion(String region) {
		execute(this.invalidate, ScriptOutputType.INTEGER, keys(regionKey(region) + "invalidated"));
	}

	@Override
	public void invalidateFunction(String region, String namespace) {
		execute(this.invalidate, ScriptOutputType.INTEGER, keys(regionKey(region) + "invalidated:" + namespace));
	}

	@Override
	public void invalidateEntry(CacheEntryKey key) {
		command((commands) -> commands.del(bytes(entryKey(key))));
	}

	@Override
	public List<CacheStatistics> statistics(String region) {
		this.hits.flush();
		Map<byte[], byte[]> counters = command((commands) -> commands.hgetall(bytes(regionKey(region) + "statistics")));
		Map<String, long[]> byNamespace = new TreeMap<>();
		counters.forEach((field, count) -> {
			String name = string(field);
			int colon = name.indexOf(':');
			int index = switch (name.substring(0, Math.max(colon, 0))) {
				case "hits" -> 0;
				case "misses" -> 1;
				case "stale" -> 2;
				default -> -1;
			};
			if (index >= 0) {
				byNamespace.computeIfAbsent(name.substring(colon + 1), (ignored) -> new long[3])[index] = Long
					.parseLong(string(count));
			}
		});
		List<CacheStatistics> statistics = new ArrayList<>();
		byNamespace.forEach((namespace, counts) -> statistics
			.add(new CacheStatistics(region, namespace, counts[0], counts[1], counts[2])));
		statistics.sort(Comparator.comparing(CacheStatistics::namespace));
		return statistics;
	}

	/**
	 * Adds the hits counted in this process to the statistics in Redis, then stops
	 * counting in the background.
	 */
	@Override
	public void close() {
		this.hits.close();
	}

	private void addHits(HitCounts.Counter counter, long count) {
		command((commands) -> commands.hincrby(bytes(counter.key()), bytes(counter.field()), count));
	}

	/**
	 * Returns the Redis key of an entry.
	 * @param key the entry
	 * @return its key, e.g. {@code celeriac:cache:{short_term}:entry:squares:[7]}
	 */
	public String entryKey(CacheEntryKey key) {
		return regionKey(key.region()) + "entry:" + key.namespace() + ":" + key.arguments();
	}

	private String lockKey(CacheEntryKey key) {
		return regionKey(key.region()) + "lock:" + key.namespace() + ":" + key.arguments();
	}

	private String regionKey(String region) {
		return this.keyPrefix + "cache:{" + region + "}:";
	}

	private <T> T execute(Script script, ScriptOutputType type, byte[][] keys, byte[]... args) {
		return command((commands) -> commands.evalsha(script.sha1(), type, keys, args),
				(commands) -> commands.eval(script.text(), type, keys, args));
	}

	private <T> T command(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
		return command(command, command);
	}

	private <T> T command(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command,
			Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> withoutScriptCache) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			RedisClusterAsyncCommands<byte[], byte[]> commands = ((LettuceConnection) connection).getNativeConnection();
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

	private <T> T await(RedisFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
		try {
			return future.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException | InterruptedException ex) {
			future.cancel(true);
			throw ex;
		}
	}

	private static byte[][] keys(String... keys) {
		byte[][] bytes = new byte[keys.length][];
		for (int i = 0; i < keys.length; i++) {
			bytes[i] = bytes(keys[i]);
		}
		return bytes;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(Object bytes) {
		return new String((byte[]) bytes, StandardCharsets.UTF_8);
	}

	/**
	 * The server's clock minus this process's, and when this process saw it.
	 */
	private record ClockOffset(long offset, long seenAt) {

	}

	/**
	 * A Lua script read once from {@code META-INF/celeriac/}, with its SHA-1 computed
	 * once (a {@link DefaultRedisScript} on a resource re-reads it to check for changes).
	 */
	private record Script(String sha1, String text) {

		static Script load(String name) {
			try {
				DefaultRedisScript<Object> script = new DefaultRedisScript<>(
						new ClassPathResource("META-INF/celeriac/" + name).getContentAsString(StandardCharsets.UTF_8));
				return new Script(script.getSha1(), script.getScriptAsString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the Lua script " + name, ex);
			}
		}

	}

}

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
import java.util.concurrent.ConcurrentHashMap;
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
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
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
 * Regions may keep a near cache: copies of fresh entries in this process's memory, so
 * that a hit asks Redis nothing. Redis reports every change to those regions' keys on a
 * RESP3 connection of the store's own (server-assisted client-side caching, see
 * {@link InvalidationTracking}), and this store drops the copies its own changes make out
 * of date before the change returns. Near hits are counted as hits and, in the
 * {@code nearHits:<namespace>} field, as near hits.
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

	private final Map<String, RegionKeys> regionKeys = new ConcurrentHashMap<>();

	private final @Nullable NearCache nearCache;

	private final @Nullable InvalidationTracking tracking;

	/**
	 * The shared native connection's commands, fetched once instead of through a
	 * {@link RedisConnection} per command; {@code null} when the factory does not share
	 * its connection.
	 */
	private volatile @Nullable RedisAsyncCommands<byte[], byte[]> sharedCommands;

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
		this(connectionFactory, keyPrefix, timeout, hitsFlushInterval, Map.of());
	}

	/**
	 * Creates a store that keeps a near cache of some regions.
	 * @param connectionFactory Spring Boot's Lettuce connection factory, started
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param timeout how long each command may take before the call runs uncached
	 * @param hitsFlushInterval how long hits counted in this process may wait before they
	 * are added to the statistics in Redis
	 * @param nearCacheEntries the regions that keep a near cache, each with the most
	 * entries it holds
	 * @throws CacheConfigurationException if the factory is not Lettuce's, or a near
	 * cache is asked of a Redis Cluster
	 */
	public RedisCacheStore(RedisConnectionFactory connectionFactory, String keyPrefix, Duration timeout,
			Duration hitsFlushInterval, Map<String, Integer> nearCacheEntries) {
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
		nearCacheEntries.forEach((region, max) -> {
			if (max < 1) {
				throw new CacheConfigurationException(
						"The near cache of cache region '" + region + "' must hold at least one entry, not " + max);
			}
		});
		if (nearCacheEntries.isEmpty()) {
			this.nearCache = null;
			this.tracking = null;
		}
		else if (((LettuceConnectionFactory) connectionFactory).getNativeClient() instanceof RedisClient client) {
			this.nearCache = new NearCache(keyPrefix, nearCacheEntries);
			this.tracking = new InvalidationTracking(client, this.nearCache);
		}
		else {
			throw new CacheConfigurationException("A near cache (celeriac.cache.regions."
					+ nearCacheEntries.keySet().iterator().next()
					+ ".near-cache.enabled) needs a standalone or Sentinel Redis and a started connection factory");
		}
	}

	@Override
	public CacheLookup lookup(CacheEntryKey key, Duration expires, String lockToken, Duration lockExpires,
			boolean statistics) {
		RegionKeys region = regionKeys(key.region());
		FunctionKeys function = region.function(key.namespace());
		String entry = region.prefix() + "entry:" + key.namespace() + ":" + key.arguments();
		ClockOffset clock = this.clock;
		long local = System.currentTimeMillis();
		boolean clockTrusted = clock != null && local - clock.seenAt() < CLOCK_TRUSTED_MILLIS;
		long now = clockTrusted ? local + clock.offset() : 0;
		NearCache nearCache = this.nearCache;
		long generation = NearCache.NOT_TRACKED;
		if (nearCache != null && nearCache.keeps(key.region())) {
			NearCache.Entry copy = clockTrusted ? nearCache.get(key.region(), entry) : null;
			if (copy != null && now - copy.createdAt() < expires.toMillis()) {
				if (statistics) {
					this.hits.count(function.hits());
					this.hits.count(function.nearHits());
				}
				return new CacheLookup(CacheLookup.Outcome.FRESH, copy.value(), now, true);
			}
			// taken before Redis is read: a change reported meanwhile keeps the copy out
			generation = nearCache.generation(key.region());
		}
		byte[] entryBytes = bytes(entry);
		if (clockTrusted) {
			NearCache.Entry hit = freshHit(entryBytes, region.invalidated(), function.invalidated(), expires, now,
					key.namespace());
			if (hit != null) {
				if (statistics) {
					this.hits.count(function.hits());
				}
				if (nearCache != null) {
					nearCache.add(key.region(), entry, hit, generation);
				}
				return new CacheLookup(CacheLookup.Outcome.FRESH, hit.value(), now);
			}
		}
		List<Object> reply = execute(this.lookup, ScriptOutputType.MULTI,
				new byte[][] { entryBytes, region.invalidated(), bytes(lockKey(key)), region.statistics(),
						function.invalidated() },
				bytes(key.namespace()), bytes(Long.toString(expires.toMillis())), bytes(lockToken),
				bytes(Long.toString(lockExpires.toMillis())), statistics ? COUNT : DO_NOT_COUNT);
		long serverNow = (Long) reply.get(2);
		long seenAt = System.currentTimeMillis();
		this.clock = new ClockOffset(serverNow - seenAt, seenAt);
		CacheLookup.Outcome outcome = CacheLookup.Outcome.valueOf(string(reply.get(0)));
		String value = string(reply.get(1));
		return new CacheLookup(outcome, value.isEmpty() ? null : value, serverNow);
	}

	/**
	 * Reads an entry and its invalidation times in one {@code MGET} and returns the entry
	 * if it is fresh, {@code null} otherwise.
	 */
	private NearCache.@Nullable Entry freshHit(byte[] entry, byte[] regionInvalidated, byte[] functionInvalidated,
			Duration expires, long now, String namespace) {
		List<KeyValue<byte[], byte[]>> values = command(
				(commands) -> commands.mget(entry, regionInvalidated, functionInvalidated));
		KeyValue<byte[], byte[]> found = values.get(0);
		if (!found.hasValue()) {
			return null;
		}
		byte[] stored = found.getValue();
		int colon = indexOfColon(stored);
		if (colon < 1) {
			return null;
		}
		long created = parseLong(stored, 0, colon);
		if (created == Long.MIN_VALUE || created <= millis(values.get(1)) || created <= millis(values.get(2))
				|| now - created >= expires.toMillis()) {
			return null;
		}
		return new NearCache.Entry(namespace, created,
				new String(stored, colon + 1, stored.length - colon - 1, StandardCharsets.UTF_8));
	}

	private static int indexOfColon(byte[] bytes) {
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == ':') {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Parses the decimal digits of {@code bytes[from, to)}, or returns
	 * {@link Long#MIN_VALUE} when they are not a number.
	 */
	private static long parseLong(byte[] bytes, int from, int to) {
		boolean negative = to > from && bytes[from] == '-';
		int start = negative ? from + 1 : from;
		if (start >= to || to - start > 18) {
			return Long.MIN_VALUE;
		}
		long value = 0;
		for (int i = start; i < to; i++) {
			int digit = bytes[i] - '0';
			if (digit < 0 || digit > 9) {
				return Long.MIN_VALUE;
			}
			value = value * 10 + digit;
		}
		return negative ? -value : value;
	}

	private static long millis(KeyValue<byte[], byte[]> value) {
		if (!value.hasValue()) {
			return Long.MIN_VALUE;
		}
		byte[] text = value.getValue();
		long millis = parseLong(text, 0, text.length);
		// not a number (a hash of an earlier layout reads as absent in the script too)
		return (millis != Long.MIN_VALUE) ? millis : Long.parseLong(new String(text, StandardCharsets.UTF_8));
	}

	@Override
	public void store(CacheEntryKey key, String value, long createdAt, Duration storeExpiration, String lockToken) {
		String entry = entryKey(key);
		try {
			execute(this.store, ScriptOutputType.INTEGER, keys(entry, lockKey(key)), bytes(value),
					bytes(Long.toString(createdAt)), bytes(Long.toString(storeExpiration.toMillis())),
					bytes(lockToken));
		}
		finally {
			// this process never reads its own write's predecessor, whenever Redis
			// reports it
			if (this.nearCache != null) {
				this.nearCache.dropEntry(key.region(), entry);
			}
		}
	}

	@Override
	public void release(CacheEntryKey key, String lockToken) {
		execute(this.release, ScriptOutputType.INTEGER, keys(lockKey(key)), bytes(lockToken));
	}

	@Override
	public void invalidateRegion(String region) {
		try {
			execute(this.invalidate, ScriptOutputType.INTEGER, keys(regionKey(region) + "invalidated"));
		}
		finally {
			if (this.nearCache != null) {
				this.nearCache.dropRegion(region);
			}
		}
	}

	@Override
	public void invalidateFunction(String region, String namespace) {
		try {
			execute(this.invalidate, ScriptOutputType.INTEGER, keys(regionKey(region) + "invalidated:" + namespace));
		}
		finally {
			if (this.nearCache != null) {
				this.nearCache.dropFunction(region, namespace);
			}
		}
	}

	@Override
	public void invalidateEntry(CacheEntryKey key) {
		String entry = entryKey(key);
		try {
			command((commands) -> commands.del(bytes(entry)));
		}
		finally {
			if (this.nearCache != null) {
				this.nearCache.dropEntry(key.region(), entry);
			}
		}
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
				case "nearHits" -> 3;
				default -> -1;
			};
			if (index >= 0) {
				byNamespace.computeIfAbsent(name.substring(colon + 1), (ignored) -> new long[4])[index] = Long
					.parseLong(string(count));
			}
		});
		List<CacheStatistics> statistics = new ArrayList<>();
		byNamespace.forEach((namespace, counts) -> statistics
			.add(new CacheStatistics(region, namespace, counts[0], counts[1], counts[2], counts[3])));
		statistics.sort(Comparator.comparing(CacheStatistics::namespace));
		return statistics;
	}

	/**
	 * Returns the near cache, or {@code null} when no region keeps one.
	 * @return the near cache
	 */
	@Nullable NearCache nearCache() {
		return this.nearCache;
	}

	/**
	 * Adds the hits counted in this process to the statistics in Redis, then stops
	 * counting in the background and closes the near cache's connection.
	 */
	@Override
	public void close() {
		if (this.tracking != null) {
			this.tracking.close();
		}
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
		return regionKeys(region).prefix();
	}

	private RegionKeys regionKeys(String region) {
		RegionKeys keys = this.regionKeys.get(region);
		if (keys == null) {
			keys = this.regionKeys.computeIfAbsent(region,
					(name) -> new RegionKeys(this.keyPrefix + "cache:{" + name + "}:"));
		}
		return keys;
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
		LettuceConnectionFactory factory = (LettuceConnectionFactory) this.connectionFactory;
		if (!factory.getShareNativeConnection()) {
			return null;
		}
		try (RedisConnection connection = factory.getConnection()) {
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
	 * The keys of one region, built once.
	 *
	 * @param prefix the prefix of its keys, e.g. {@code celeriac:cache:{short_term}:}
	 * @param invalidated the key of its invalidation time
	 * @param statistics the key of its statistics hash
	 * @param functions the keys of each function seen so far
	 */
	private record RegionKeys(String prefix, byte[] invalidated, byte[] statistics,
			Map<String, FunctionKeys> functions) {

		RegionKeys(String prefix) {
			this(prefix, bytes(prefix + "invalidated"), bytes(prefix + "statistics"), new ConcurrentHashMap<>());
		}

		FunctionKeys function(String namespace) {
			FunctionKeys keys = this.functions.get(namespace);
			if (keys == null) {
				String statisticsKey = this.prefix + "statistics";
				keys = this.functions.computeIfAbsent(namespace,
						(name) -> new FunctionKeys(bytes(this.prefix + "invalidated:" + name),
								new HitCounts.Counter(statisticsKey, "hits:" + name),
								new HitCounts.Counter(statisticsKey, "nearHits:" + name)));
			}
			return keys;
		}

	}

	/**
	 * The keys of one function of a region, built once.
	 *
	 * @param invalidated the key of its invalidation time
	 * @param hits its hits counter
	 * @param nearHits its near hits counter
	 */
	private record FunctionKeys(byte[] invalidated, HitCounts.Counter hits, HitCounts.Counter nearHits) {

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

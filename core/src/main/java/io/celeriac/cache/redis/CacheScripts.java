package io.celeriac.cache.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.celeriac.cache.CacheLookup;
import io.lettuce.core.ScriptOutputType;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;

import static io.celeriac.cache.redis.Utf8.bytes;
import static io.celeriac.cache.redis.Utf8.string;

/**
 * The Lua scripts of the {@link RedisCacheStore}, each read once from
 * {@code META-INF/celeriac/} and run by its SHA-1, sent whole only when Redis does not
 * hold it yet. Each method takes the store's keys and values and returns the script's
 * reply as the store uses it.
 *
 * @author Celeriac team
 */
final class CacheScripts {

	private static final byte[] COUNT = bytes("1");

	private static final byte[] DO_NOT_COUNT = bytes("0");

	private final Script lookup = Script.load("cache-lookup.lua");

	private final Script store = Script.load("cache-store.lua");

	private final Script release = Script.load("cache-release.lua");

	private final Script invalidate = Script.load("cache-invalidate.lua");

	private final RedisCalls calls;

	/**
	 * Creates the scripts.
	 * @param calls runs them
	 */
	CacheScripts(RedisCalls calls) {
		this.calls = calls;
	}

	/**
	 * Reads an entry, takes its write lock unless it is fresh and counts the outcome,
	 * atomically.
	 * @param keys the entry's, region's, lock's, statistics' and function's invalidation
	 * keys, in this order
	 * @param namespace the function's namespace
	 * @param expires how long the entry is fresh
	 * @param lockToken the token of the write lock to take
	 * @param lockExpires how long the write lock lasts
	 * @param statistics whether to count the outcome
	 * @return the outcome, the value and when the lookup started, in milliseconds of the
	 * server's clock
	 */
	CacheLookup lookup(byte[][] keys, String namespace, Duration expires, String lockToken, Duration lockExpires,
			boolean statistics) {
		List<Object> reply = execute(this.lookup, ScriptOutputType.MULTI, keys, bytes(namespace),
				bytes(Long.toString(expires.toMillis())), bytes(lockToken),
				bytes(Long.toString(lockExpires.toMillis())), statistics ? COUNT : DO_NOT_COUNT);
		long serverNow = (Long) reply.get(2);
		CacheLookup.Outcome outcome = CacheLookup.Outcome.valueOf(string(reply.get(0)));
		String value = string(reply.get(1));
		return new CacheLookup(outcome, value.isEmpty() ? null : value, serverNow);
	}

	/**
	 * Stores an entry if the write lock is still the caller's.
	 * @param entry the entry's key
	 * @param lock the lock's key
	 * @param value the JSON value
	 * @param createdAt when the value was created, in milliseconds of the server's clock
	 * @param storeExpiration how long Redis keeps the entry
	 * @param lockToken the caller's lock token
	 */
	void store(String entry, String lock, String value, long createdAt, Duration storeExpiration, String lockToken) {
		execute(this.store, ScriptOutputType.INTEGER, keys(entry, lock), bytes(value), bytes(Long.toString(createdAt)),
				bytes(Long.toString(storeExpiration.toMillis())), bytes(lockToken));
	}

	/**
	 * Releases a write lock if it is still the caller's.
	 * @param lock the lock's key
	 * @param lockToken the caller's lock token
	 */
	void release(String lock, String lockToken) {
		execute(this.release, ScriptOutputType.INTEGER, keys(lock), bytes(lockToken));
	}

	/**
	 * Sets an invalidation time to the server's clock.
	 * @param invalidated the key of a region's or function's invalidation time
	 */
	void invalidate(String invalidated) {
		execute(this.invalidate, ScriptOutputType.INTEGER, keys(invalidated));
	}

	private <T> T execute(Script script, ScriptOutputType type, byte[][] keys, byte[]... args) {
		return this.calls.run((commands) -> commands.evalsha(script.sha1(), type, keys, args),
				(commands) -> commands.eval(script.text(), type, keys, args));
	}

	private static byte[][] keys(String... keys) {
		byte[][] bytes = new byte[keys.length][];
		for (int i = 0; i < keys.length; i++) {
			bytes[i] = bytes(keys[i]);
		}
		return bytes;
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

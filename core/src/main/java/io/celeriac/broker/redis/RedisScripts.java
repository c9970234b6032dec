package io.celeriac.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of the Redis broker ({@code META-INF/celeriac/broker-*.lua}), read
 * once, and how they are run: by SHA, and by source when the server does not know the
 * script (after a restart or a {@code SCRIPT FLUSH}).
 *
 * @author Celeriac team
 */
final class RedisScripts {

	final RedisScript<Long> put = load("broker-put", Long.class);

	@SuppressWarnings("rawtypes")
	final RedisScript<List> claim = load("broker-claim", List.class);

	final RedisScript<Long> ack = load("broker-ack", Long.class);

	final RedisScript<Long> restore = load("broker-restore", Long.class);

	final RedisScript<Long> touch = load("broker-touch", Long.class);

	final RedisScript<Long> purge = load("broker-purge", Long.class);

	final RedisScript<Long> inFlight = load("broker-in-flight", Long.class);

	final RedisScript<Long> unlock = load("broker-unlock", Long.class);

	/**
	 * Runs a script.
	 * @param <T> what it returns
	 * @param connection the connection
	 * @param script the script
	 * @param type how its answer is read
	 * @param keys its keys
	 * @param arguments its arguments
	 * @return its answer
	 */
	@SuppressWarnings("unchecked")
	static <T> @Nullable T run(RedisConnection connection, RedisScript<?> script, ReturnType type, byte[][] keys,
			byte[]... arguments) {
		byte[][] keysAndArguments = new byte[keys.length + arguments.length][];
		System.arraycopy(keys, 0, keysAndArguments, 0, keys.length);
		System.arraycopy(arguments, 0, keysAndArguments, keys.length, arguments.length);
		try {
			return (T) connection.scriptingCommands().evalSha(script.getSha1(), type, keys.length, keysAndArguments);
		}
		catch (DataAccessException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return (T) connection.scriptingCommands()
				.eval(RedisKeys.bytes(script.getScriptAsString()), type, keys.length, keysAndArguments);
		}
	}

	private static boolean isNoScript(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (String.valueOf(cause.getMessage()).contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	private static <T> RedisScript<T> load(String name, Class<T> type) {
		// read once: a script on a resource checks the resource for changes (and computes
		// its SHA under a lock) on every call, which cost more than the call itself
		String path = "META-INF/celeriac/" + name + ".lua";
		try (InputStream source = new ClassPathResource(path).getInputStream()) {
			return RedisScript.of(new String(source.readAllBytes(), StandardCharsets.UTF_8), type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + path, ex);
		}
	}

}

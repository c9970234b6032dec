package io.celeriac.lock.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.StreamUtils;

/**
 * Runs Celeriac's Lua scripts (read once from {@code META-INF/celeriac/}) with EVALSHA,
 * falling back to EVAL when the server does not know the script yet (after a restart or
 * on a new cluster node). Arguments are strings. It talks to the connection directly:
 * {@code RedisTemplate} would wrap every connection in a proxy, which costs more than the
 * script itself on the client.
 *
 * @author Celeriac team
 */
public final class RedisScripts {

	private final RedisConnectionFactory connectionFactory;

	/**
	 * Creates a script runner on the given connections.
	 * @param connectionFactory the Redis connections
	 */
	public RedisScripts(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Reads a script from {@code META-INF/celeriac/<name>.lua}.
	 * @param name the script's name
	 * @return the script
	 */
	public static Script load(String name) {
		String path = "META-INF/celeriac/" + name + ".lua";
		try (InputStream source = new ClassPathResource(path).getInputStream()) {
			String text = StreamUtils.copyToString(source, StandardCharsets.UTF_8);
			return new Script(name, text, sha1(bytes(text)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + path, ex);
		}
	}

	/**
	 * Runs a script that returns an array.
	 * @param script the script
	 * @param keys its keys, all in one hash slot
	 * @param arguments its arguments
	 * @return the array's elements (Long for integers)
	 */
	public List<Object> multi(Script script, List<String> keys, String... arguments) {
		List<Object> result = run(script, ReturnType.MULTI, keys, arguments);
		if (result == null) {
			throw new IllegalStateException("Script " + script.name() + " returned no reply");
		}
		return result;
	}

	/**
	 * Runs a script that returns an integer.
	 * @param script the script
	 * @param keys its keys, all in one hash slot
	 * @param arguments its arguments
	 * @return the integer
	 */
	public long integer(Script script, List<String> keys, String... arguments) {
		Long result = run(script, ReturnType.INTEGER, keys, arguments);
		if (result == null) {
			throw new IllegalStateException("Script " + script.name() + " returned no reply");
		}
		return result;
	}

	/**
	 * Reads a string key.
	 * @param key the key
	 * @return its value, or {@code null} when absent
	 */
	public @Nullable String get(String key) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			byte[] value = connection.stringCommands().get(bytes(key));
			return (value != null) ? new String(value, StandardCharsets.UTF_8) : null;
		}
	}

	private <T> @Nullable T run(Script script, ReturnType type, List<String> keys, String... arguments) {
		byte[][] keysAndArguments = new byte[keys.size() + arguments.length][];
		for (int i = 0; i < keys.size(); i++) {
			keysAndArguments[i] = bytes(keys.get(i));
		}
		for (int i = 0; i < arguments.length; i++) {
			keysAndArguments[keys.size() + i] = bytes(arguments[i]);
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			try {
				return connection.scriptingCommands().evalSha(script.sha1(), type, keys.size(), keysAndArguments);
			}
			catch (RuntimeException ex) {
				if (!isNoScript(ex)) {
					throw ex;
				}
				return connection.scriptingCommands().eval(bytes(script.text()), type, keys.size(), keysAndArguments);
			}
		}
	}

	private static boolean isNoScript(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && message.contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String sha1(byte[] text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(text);
			StringBuilder hex = new StringBuilder();
			for (byte b : digest) {
				hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
			}
			return hex.toString();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

	/**
	 * A Lua script and its SHA-1 digest.
	 *
	 * @param name the script's name
	 * @param text the script's source
	 * @param sha1 the digest that EVALSHA takes
	 */
	public record Script(String name, String text, String sha1) {

	}

}

package io.celeriac.processing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.celeriac.processing.OperationKey;
import io.celeriac.processing.OperationStore;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * An {@link OperationStore} in Redis. Each request's keys share the hash tag
 * {@code {<operation>:<hash of the URI>}}, so each Lua script touches one hash slot
 * (Redis Cluster spreads requests over the nodes):
 * <ul>
 * <li>{@code <prefix>processing:{<tag>}:result}: the JSON result, expiring with the
 * operation's region;</li>
 * <li>{@code <prefix>processing:{<tag>}:redirect}: the URI this URI resolves to;</li>
 * <li>{@code <prefix>processing:{<tag>}:pending}: a list of the callback arguments of the
 * callers waiting;</li>
 * <li>{@code <prefix>processing:{<tag>}:processing}: the id of the running processing,
 * expiring after the pending timeout;</li>
 * <li>{@code <prefix>processing:{<tag>}:delivering}: the callback arguments taken by the
 * last completion until their delivery is confirmed;</li>
 * <li>{@code <prefix>processing:outcome:<id>}: how a processing ended.</li>
 * </ul>
 *
 * @author Celeriac team
 */
public class RedisOperationStore implements OperationStore {

	// read once: a script on a resource checks the resource for changes on every call
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> GET_OR_APPEND = RedisScript.of(text("processing-get-or-append.lua"),
			List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> COMPLETE = RedisScript.of(text("processing-complete.lua"), List.class);

	private static final RedisScript<Long> TOUCH = RedisScript.of(text("processing-touch.lua"), Long.class);

	private static final RedisScript<Long> RELEASE = RedisScript.of(text("processing-release.lua"), Long.class);

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	/**
	 * Creates a store.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the prefix of its keys, e.g. {@code celeriac:}; no braces
	 */
	public RedisOperationStore(RedisConnectionFactory connectionFactory, String keyPrefix) {
		if (keyPrefix.contains("{") || keyPrefix.contains("}")) {
			throw new IllegalArgumentException(
					"The key prefix '" + keyPrefix + "' must not contain '{' or '}': the store sets the hash tags");
		}
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
	}

	@Override
	public Lookup getOrAppend(OperationKey key, List<String> callbackArgs, String candidateId,
			Duration pendingTimeout) {
		// a stored result is a hit whatever else the script would look at: one GET on the
		// hot path, the script (atomic) only on a miss
		String stored = this.redis.opsForValue().get(key(key, "result"));
		if (stored != null) {
			return Lookup.hit(stored);
		}
		List<String> arguments = new ArrayList<>(callbackArgs.size() + 2);
		arguments.add(candidateId);
		arguments.add(Long.toString(millis(pendingTimeout)));
		arguments.addAll(callbackArgs);
		List<?> reply = this.redis.execute(GET_OR_APPEND,
				List.of(key(key, "result"), key(key, "redirect"), key(key, "pending"), key(key, "processing")),
				arguments.toArray());
		if (reply == null || reply.size() != 2) {
			throw new IllegalStateException("Unexpected reply from the get-or-append script: " + reply);
		}
		String value = String.valueOf(reply.get(1));
		return switch (String.valueOf(reply.get(0))) {
			case "hit" -> Lookup.hit(value);
			case "redirect" -> Lookup.redirected(value);
			case "started" -> Lookup.started(value);
			case "joined" -> Lookup.joined(value);
			default -> throw new IllegalStateException("Unexpected reply from the get-or-append script: " + reply);
		};
	}

	@Override
	public List<String> complete(OperationKey key, String result, Duration expires) {
		return take(key, "result", result, expires);
	}

	@Override
	public List<String> redirect(OperationKey key, String target, Duration expires) {
		return take(key, "redirect", target, expires);
	}

	@Override
	public List<String> abandon(OperationKey key, Duration keep) {
		return take(key, "result", "", keep);
	}

	@Override
	public void delivered(OperationKey key) {
		this.redis.delete(key(key, "delivering"));
	}

	@Override
	public void release(OperationKey key, String processingId) {
		this.redis.execute(RELEASE, List.of(key(key, "processing")), processingId);
	}

	@Override
	public void touch(OperationKey key, Duration pendingTimeout) {
		this.redis.execute(TOUCH, List.of(key(key, "pending"), key(key, "processing")),
				Long.toString(millis(pendingTimeout)));
	}

	@Override
	public void finish(String processingId, String outcome, Duration retention) {
		this.redis.opsForValue().set(outcomeKey(processingId), outcome, Duration.ofMillis(millis(retention)));
	}

	@Override
	public @Nullable String outcome(String processingId) {
		return this.redis.opsForValue().get(outcomeKey(processingId));
	}

	private List<String> take(OperationKey key, String what, String value, Duration expires) {
		List<?> reply = this.redis.execute(COMPLETE,
				List.of(key(key, what), key(key, "pending"), key(key, "processing"), key(key, "delivering")), value,
				Long.toString(millis(expires)), Long.toString(millis(expires)));
		if (reply == null) {
			throw new IllegalStateException("No reply from the complete script for " + key);
		}
		return reply.stream().map(String::valueOf).toList();
	}

	private String key(OperationKey key, String what) {
		return this.keyPrefix + "processing:{" + key.operation() + ":" + hash(key.uri()) + "}:" + what;
	}

	private String outcomeKey(String processingId) {
		return this.keyPrefix + "processing:outcome:" + processingId;
	}

	private static long millis(Duration duration) {
		return Math.max(1, duration.toMillis());
	}

	private static String text(String script) {
		try (InputStream input = new ClassPathResource("META-INF/celeriac/" + script).getInputStream()) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the Lua script " + script, ex);
		}
	}

	private static String hash(String uri) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
			// 128 bits: no collision between URIs in practice, and short keys
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}

package io.celeriac.debounce.redis;

import java.time.Duration;
import java.util.List;

import io.celeriac.debounce.DebounceDecision;
import io.celeriac.debounce.Debouncer;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link Debouncer} in Redis: one Lua script reads and sets two keys per call key (a
 * pending delayed call, and when the last call was sent), in one hash slot, with Redis's
 * clock, so that producers in any number of processes and on any hosts agree.
 *
 * @author Celeriac team
 */
public class RedisDebouncer implements Debouncer {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> SCRIPT = RedisScript
		.of(new ClassPathResource("META-INF/celeriac/debounce.lua"), List.class);

	private static final RedisScript<Long> UNDO = RedisScript
		.of(new ClassPathResource("META-INF/celeriac/debounce-undo.lua"), Long.class);

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	/**
	 * Creates a debouncer.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the prefix of its keys, e.g. {@code celeriac:}
	 */
	public RedisDebouncer(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
	}

	@Override
	public DebounceDecision decide(String key, Duration window, boolean alwaysDelay) {
		if (window.toMillis() < 1) {
			throw new IllegalArgumentException("A debounce window must be at least 1 ms, not " + window);
		}
		String tag = tag(key);
		List<?> reply = this.redis.execute(SCRIPT, List.of(tag + ":pending", tag + ":last"),
				Long.toString(window.toMillis()), alwaysDelay ? "1" : "0");
		if (reply == null || reply.size() != 4) {
			throw new IllegalStateException("Unexpected reply from the debounce script: " + reply);
		}
		int outcome = ((Number) reply.get(0)).intValue();
		long delay = ((Number) reply.get(1)).longValue();
		// what undo needs: the value written, the one it replaced and the window
		String undo = reply.get(2) + ":" + reply.get(3) + ":" + window.toMillis();
		return switch (outcome) {
			case 0 -> DebounceDecision.now(undo);
			case 1 -> DebounceDecision.delayed(Duration.ofMillis(delay), undo);
			default -> DebounceDecision.skipped();
		};
	}

	@Override
	public void undo(String key, DebounceDecision decision) {
		if (decision.undo().isEmpty()) {
			return;
		}
		String[] parts = decision.undo().split(":", -1);
		if (parts.length != 3) {
			throw new IllegalArgumentException("Not a decision of a RedisDebouncer: " + decision);
		}
		String tag = tag(key);
		this.redis.execute(UNDO, List.of(tag + ":pending", tag + ":last"), parts[0], parts[1], parts[2]);
	}

	private String tag(String key) {
		return "{" + this.keyPrefix + "debounce:" + key + "}";
	}

}

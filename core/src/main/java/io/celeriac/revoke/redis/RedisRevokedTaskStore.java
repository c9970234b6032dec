package io.celeriac.revoke.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.lock.redis.RedisScripts;
import io.celeriac.revoke.RevokedTaskStore;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * A {@link RevokedTaskStore} on Redis, shared by every worker with the same key prefix: a
 * sorted set ({@code <prefix>revoked}) scores each id with when it was revoked, in
 * milliseconds. A Lua script adds ids and trims the set by age and count in one step.
 *
 * @author Celeriac team
 */
public class RedisRevokedTaskStore implements RevokedTaskStore {

	private final RedisScripts redis;

	private final String key;

	private final Limits limits;

	private final RedisScripts.Script addScript = RedisScripts.load("revoked-add");

	private final RedisScripts.Script listScript = RedisScripts.load("revoked-list");

	/**
	 * Creates a store on the given connections.
	 * @param connectionFactory the Redis connections
	 * @param keyPrefix the prefix of its key, e.g. {@code celeriac:}
	 * @param limits how many ids it keeps and for how long
	 */
	public RedisRevokedTaskStore(RedisConnectionFactory connectionFactory, String keyPrefix, Limits limits) {
		Assert.notNull(connectionFactory, "RedisConnectionFactory must not be null");
		Assert.notNull(keyPrefix, "Key prefix must not be null");
		this.redis = new RedisScripts(connectionFactory);
		this.key = keyPrefix + "revoked";
		this.limits = limits;
	}

	@Override
	public void add(Collection<String> ids, Instant revokedAt) {
		if (ids.isEmpty()) {
			return;
		}
		List<String> arguments = new ArrayList<>(ids.size() + 3);
		arguments.add(Long.toString(revokedAt.toEpochMilli()));
		arguments.add(Long.toString(oldest()));
		arguments.add(Integer.toString(this.limits.maxCount()));
		arguments.addAll(ids);
		this.redis.integer(this.addScript, List.of(this.key), arguments.toArray(String[]::new));
	}

	@Override
	public boolean contains(String id) {
		List<Object> found = this.redis.multi(this.listScript, List.of(this.key), Long.toString(oldest()), id);
		return !found.isEmpty();
	}

	@Override
	public Map<String, Instant> revoked() {
		List<Object> entries = this.redis.multi(this.listScript, List.of(this.key), Long.toString(oldest()));
		Map<String, Instant> revoked = new LinkedHashMap<>();
		for (int i = 0; i + 1 < entries.size(); i += 2) {
			revoked.put(text(entries.get(i)),
					Instant.ofEpochMilli((long) Double.parseDouble(text(entries.get(i + 1)))));
		}
		return revoked;
	}

	private long oldest() {
		return Instant.now().minus(this.limits.maxAge()).toEpochMilli();
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}

package io.celeriac.delay.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celeriac.delay.ClaimedTask;
import io.celeriac.delay.DelayedTask;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * A {@link DelayedTaskStore} in Redis: each task's message in a hash, its id in a sorted
 * set scored by due time, and claimed ids in a second sorted set scored by when the claim
 * lapses. Claiming is one Lua script, so any number of schedulers may claim at once. A
 * fourth hash counts the tasks of each queue they return to, kept by the scripts that add
 * and remove tasks, so that {@link #countDelayed(String)} is one {@code HGET}; for that
 * the scripts read the queue from the payload, which starts with
 * {@code <length of the queue's name>:<queue>} ahead of the JSON. The four keys share one
 * Redis Cluster hash slot. Tasks take Redis memory, not the worker's heap, and survive
 * restarts of every Celeriac process.
 *
 * @author Celeriac team
 */
public class RedisDelayedTaskStore implements DelayedTaskStore {

	private static final RedisScript<Long> SCHEDULE = script("delayed-schedule.lua", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CLAIM = script("delayed-claim.lua", List.class);

	private static final RedisScript<Long> REMOVE = script("delayed-remove.lua", Long.class);

	private static final RedisScript<Long> NEXT = script("delayed-next.lua", Long.class);

	private final StringRedisTemplate redis;

	private final ObjectMapper mapper;

	private final List<String> keys;

	/**
	 * Creates a store.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the prefix of its keys, e.g. {@code celeriac:}
	 * @param mapper the JSON mapper that writes the stored messages
	 */
	public RedisDelayedTaskStore(RedisConnectionFactory connectionFactory, String keyPrefix, ObjectMapper mapper) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.mapper = mapper;
		String tag = "{" + keyPrefix + "delayed}";
		this.keys = List.of(tag + ":due", tag + ":claimed", tag + ":tasks", tag + ":queues");
	}

	private static <T> RedisScript<T> script(String name, Class<T> type) {
		// read once: a script on a resource checks the resource for changes on every call
		String path = "META-INF/celeriac/" + name;
		try (InputStream source = new ClassPathResource(path).getInputStream()) {
			return RedisScript.of(StreamUtils.copyToString(source, StandardCharsets.UTF_8), type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + path, ex);
		}
	}

	@Override
	public void schedule(DelayedTask task) {
		String queue = (task.queue() != null) ? task.queue() : "";
		String json = this.mapper.writeValueAsString(StoredTask.of(task));
		String payload = queue.isEmpty() ? json : queue.length() + ":" + queue + json;
		this.redis.execute(SCHEDULE, this.keys, UUID.randomUUID().toString(), Long.toString(task.due().toEpochMilli()),
				payload, queue);
	}

	@Override
	public List<ClaimedTask> claimDue(Instant now, int max, Duration lease) {
		List<?> reply = this.redis.execute(CLAIM, this.keys, Long.toString(now.toEpochMilli()), Integer.toString(max),
				Long.toString(now.plus(lease).toEpochMilli()));
		List<ClaimedTask> claimed = new ArrayList<>();
		if (reply == null) {
			return claimed;
		}
		for (int i = 0; i + 1 < reply.size(); i += 2) {
			String payload = reply.get(i + 1).toString();
			String queue = null;
			if (!payload.startsWith("{")) {
				int colon = payload.indexOf(':');
				int length = Integer.parseInt(payload.substring(0, colon));
				queue = payload.substring(colon + 1, colon + 1 + length);
				payload = payload.substring(colon + 1 + length);
			}
			StoredTask stored = this.mapper.readValue(payload, StoredTask.class);
			claimed.add(new ClaimedTask(reply.get(i).toString(), stored.task(queue)));
		}
		return claimed;
	}

	@Override
	public void remove(ClaimedTask claimed) {
		this.redis.execute(REMOVE, this.keys, claimed.id());
	}

	@Override
	public void removeAll(List<ClaimedTask> claimed) {
		if (!claimed.isEmpty()) {
			this.redis.execute(REMOVE, this.keys, claimed.stream().map(ClaimedTask::id).toArray());
		}
	}

	@Override
	public @Nullable Instant nextDue() {
		Long next = this.redis.execute(NEXT, this.keys.subList(0, 2));
		return (next != null && next >= 0) ? Instant.ofEpochMilli(next) : null;
	}

	@Override
	public long size() {
		return this.redis.opsForHash().size(this.keys.get(2));
	}

	@Override
	public long countDelayed(String queue) {
		Object count = this.redis.opsForHash().get(this.keys.get(3), queue);
		return (count != null) ? Long.parseLong(count.toString()) : 0;
	}

	/**
	 * A delayed task as JSON.
	 */
	record StoredTask(String exchange, String routingKey, long due, byte[] body, @Nullable String contentType,
			@Nullable String contentEncoding, Map<String, @Nullable Object> headers, @Nullable String correlationId,
			@Nullable String replyTo, int priority, boolean persistent, @Nullable String expiration) {

		static StoredTask of(DelayedTask task) {
			WireMessage message = task.message();
			return new StoredTask(task.exchange(), task.routingKey(), task.due().toEpochMilli(), message.body(),
					message.contentType(), message.contentEncoding(), message.headers(), message.correlationId(),
					message.replyTo(), message.priority(), message.persistent(), message.expiration());
		}

		DelayedTask task(@Nullable String queue) {
			return new DelayedTask(this.exchange, this.routingKey,
					new WireMessage(this.body, this.contentType, this.contentEncoding, this.headers, this.correlationId,
							this.replyTo, this.priority, this.persistent, this.expiration),
					Instant.ofEpochMilli(this.due), queue);
		}

	}

}

package io.celeriac.result.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.celeriac.lock.redis.RedisScripts;
import io.celeriac.lock.redis.RedisScripts.Script;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A result store in Redis, in the format of Celery's Redis result backend
 * ({@code result_extended} on): the JSON meta of each task under
 * {@code celery-task-meta-<id>}, set with an expiry and published on the channel of the
 * same name, so that Python's {@code AsyncResult(id).get()} reads what Java workers
 * record and the other way round.
 *
 * @author Celeriac team
 */
public class RedisResultStore implements ResultStore {

	/**
	 * Celery's key (and channel) prefix of task results.
	 */
	public static final String KEY_PREFIX = "celery-task-meta-";

	private static final DateTimeFormatter DATE_DONE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

	private static final int MOST_KEYS_PER_MGET = 500;

	private static final Script SAVE_UNLESS_FINAL = RedisScripts.load("result-save-unless-final");

	private final StringRedisTemplate redis;

	private final RedisScripts scripts;

	private final CeleryResultFormat format;

	private final String keyPrefix;

	private final Duration expires;

	/**
	 * Creates a store.
	 * @param connectionFactory the Redis connections
	 * @param format translates records to Celery's values
	 * @param keyPrefix put before Celery's key, as Celery's {@code global_keyprefix}
	 * transport option does; empty for Celery's default
	 * @param expires how long a result is kept, as Celery's {@code result_expires}
	 */
	public RedisResultStore(RedisConnectionFactory connectionFactory, CeleryResultFormat format, String keyPrefix,
			Duration expires) {
		if (expires.isNegative() || expires.isZero()) {
			throw new IllegalArgumentException("Result expiry must be positive, not " + expires);
		}
		this.redis = new StringRedisTemplate(connectionFactory);
		this.scripts = new RedisScripts(connectionFactory);
		this.format = format;
		this.keyPrefix = keyPrefix;
		this.expires = expires;
	}

	/**
	 * Returns the key, and channel, of a task's result.
	 * @param taskId the task id
	 * @return the key
	 */
	public String key(String taskId) {
		return this.keyPrefix + KEY_PREFIX + taskId;
	}

	@Override
	public void save(TaskResult result) {
		String key = key(result.taskId());
		String json = this.format.mapper().writeValueAsString(meta(result));
		this.redis.opsForValue().set(key, json, this.expires);
		this.redis.convertAndSend(key, json);
	}

	/**
	 * Records a task's state unless a final state is recorded, with one Lua script that
	 * reads the recorded status, sets and publishes.
	 * @param result the state and outcome
	 * @return {@code true} if it was recorded, {@code false} if a final state was kept
	 */
	@Override
	public boolean saveUnlessFinal(TaskResult result) {
		String json = this.format.mapper().writeValueAsString(meta(result));
		return this.scripts.integer(SAVE_UNLESS_FINAL, List.of(key(result.taskId())), json,
				Long.toString(this.expires.toMillis())) == 1;
	}

	private Map<String, @Nullable Object> meta(TaskResult result) {
		TaskFailure failure = result.failure();
		boolean done = result.state().isFinal() || result.state() == TaskState.RETRY;
		Instant dateDone = done ? ((result.dateDone() != null) ? result.dateDone() : Instant.now()) : null;
		Map<String, @Nullable Object> meta = new LinkedHashMap<>();
		meta.put("status", result.state().name());
		meta.put("result", this.format.resultValue(result, false));
		meta.put("traceback", (failure != null && !failure.traceback().isEmpty()) ? failure.traceback() : null);
		meta.put("children", List.of());
		meta.put("date_done", (dateDone != null) ? DATE_DONE.format(CeleryResultFormat.utc(dateDone)) : null);
		meta.put("task_id", result.taskId());
		meta.put("name", result.name());
		meta.put("args", result.args());
		meta.put("kwargs", result.kwargs());
		meta.put("worker", result.worker());
		meta.put("retries", result.retries());
		meta.put("queue", result.queue());
		return meta;
	}

	@Override
	public Optional<TaskResult> find(String taskId) {
		String json = this.redis.opsForValue().get(key(taskId));
		return (json != null) ? Optional.of(read(taskId, json)) : Optional.empty();
	}

	/**
	 * Reads many tasks' records with one {@code MGET} per 500 ids.
	 * @param taskIds the task ids
	 * @return the records found, by task id
	 */
	@Override
	public Map<String, TaskResult> findAll(Collection<String> taskIds) {
		List<String> ids = List.copyOf(taskIds);
		Map<String, TaskResult> found = new LinkedHashMap<>();
		for (int from = 0; from < ids.size(); from += MOST_KEYS_PER_MGET) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MOST_KEYS_PER_MGET));
			List<String> values = this.redis.opsForValue().multiGet(chunk.stream().map(this::key).toList());
			for (int i = 0; i < chunk.size(); i++) {
				String json = (values != null) ? values.get(i) : null;
				if (json != null) {
					found.put(chunk.get(i), read(chunk.get(i), json));
				}
			}
		}
		return found;
	}

	private TaskResult read(String taskId, String json) {
		JsonNode meta = this.format.mapper().readTree(json);
		JsonNode dateDone = meta.path("date_done");
		JsonNode retries = meta.path("retries");
		return this.format.read(taskId, meta.path("status").asString("PENDING"), this.format.plain(meta.get("result")),
				text(meta, "traceback"), text(meta, "name"), node(meta, "args"), node(meta, "kwargs"),
				text(meta, "worker"), retries.isNumber() ? retries.intValue() : null, text(meta, "queue"),
				dateDone.isString() ? dateDone(dateDone.stringValue()) : null);
	}

	private static Instant dateDone(String text) {
		String local = text.endsWith("+00:00") ? text.substring(0, text.length() - 6) : text;
		return CeleryResultFormat.instant(LocalDateTime.parse(local));
	}

	private static @Nullable String text(JsonNode meta, String field) {
		JsonNode node = meta.get(field);
		return (node != null && node.isString()) ? node.stringValue() : null;
	}

	private static @Nullable JsonNode node(JsonNode meta, String field) {
		JsonNode node = meta.get(field);
		return (node != null && !node.isNull()) ? node : null;
	}

}

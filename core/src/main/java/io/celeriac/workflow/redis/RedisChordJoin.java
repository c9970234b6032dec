package io.celeriac.workflow.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.workflow.ChordCompletion;
import io.celeriac.workflow.ChordJoin;
import io.celeriac.workflow.Placement;
import io.celeriac.workflow.Signature;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Joins chords as Celery 5.2.6's Redis result backend does, so that Java and Python
 * workers join the same chords: the client sets the header size in
 * {@code celery-taskset-meta-<group_id>.s}; each member, once done, adds
 * {@code [1, task_id, state, result]} to the sorted set {@code ...j} scored by its
 * {@code group_index} and counts it; the member that completes the count (with the
 * {@code ...t} adjustment) reads the set in header order, publishes the body, or fails it
 * with a {@code ChordError} if a member failed, and deletes the three keys. No
 * {@code celery.chord_unlock} task is involved.
 *
 * @author Celeriac team
 */
public class RedisChordJoin implements ChordJoin {

	/**
	 * Celery's prefix of group keys.
	 */
	public static final String GROUP_KEY_PREFIX = "celery-taskset-meta-";

	private static final RedisScript<Long> PART = RedisScript
		.of(new ClassPathResource("META-INF/celeriac/workflow-chord-part.lua"), Long.class);

	private static final Set<String> PROPAGATE_STATES = Set.of(TaskState.FAILURE.name(), TaskState.REVOKED.name());

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final Duration expires;

	private final ChordCompletion completion;

	private final CeleryResultFormat format;

	/**
	 * Creates a join.
	 * @param connectionFactory the Redis of the result backend
	 * @param keyPrefix put before Celery's keys, as the result store's; empty for
	 * Celery's default
	 * @param expires how long the join keys live (Celery's {@code result_expires})
	 * @param completion publishes or fails the body
	 * @param format encodes results as Celery's Redis backend does
	 */
	public RedisChordJoin(RedisConnectionFactory connectionFactory, String keyPrefix, Duration expires,
			ChordCompletion completion, CeleryResultFormat format) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
		this.expires = expires;
		this.completion = completion;
		this.format = format;
	}

	/**
	 * Returns a group's key.
	 * @param groupId the group id
	 * @param suffix {@code .j}, {@code .t} or {@code .s}
	 * @return the key
	 */
	public String key(String groupId, String suffix) {
		return this.keyPrefix + GROUP_KEY_PREFIX + groupId + suffix;
	}

	@Override
	public void prepare(String groupId, int size) {
		this.redis.opsForValue().set(key(groupId, ".s"), Integer.toString(size), this.expires);
	}

	@Override
	public void started(String groupId, List<String> memberIds, Signature body, Placement placement) {
	}

	@Override
	public void memberDone(TaskMessage member, TaskResult outcome) {
		String groupId = member.headers().group();
		if (groupId == null) {
			return;
		}
		Signature body = Signature.fromJson(member.body().embed().get("chord"));
		Integer index = member.headers().groupIndex();
		String encoded = this.format.mapper()
			.writeValueAsString(
					Arrays.asList(1, member.id(), outcome.state().name(), this.format.resultValue(outcome, false)));
		String joinKey = key(groupId, ".j");
		Long count = this.redis.execute(PART, List.of(joinKey), encoded, (index != null) ? index.toString() : "+inf",
				Long.toString(this.expires.toSeconds()));
		String adjustment = this.redis.opsForValue().get(key(groupId, ".t"));
		String size = this.redis.opsForValue().get(key(groupId, ".s"));
		if (count == null || size == null) {
			return;
		}
		long total = Long.parseLong(size) + ((adjustment != null) ? Long.parseLong(adjustment) : 0);
		if (count != total) {
			return;
		}
		Placement placement = Placement.childOf(member.id(), member.headers().rootId());
		try {
			join(body, this.redis.opsForZSet().range(joinKey, 0, -1), placement);
		}
		finally {
			this.redis.delete(List.of(joinKey, key(groupId, ".t"), key(groupId, ".s")));
		}
	}

	private void join(Signature body, @Nullable Set<String> parts, Placement placement) {
		List<@Nullable JsonNode> values = new ArrayList<>();
		for (String part : (parts != null) ? parts : Set.<String>of()) {
			JsonNode decoded = this.format.mapper().readTree(part);
			String taskId = decoded.path(1).asString();
			String state = decoded.path(2).asString();
			JsonNode value = decoded.path(3);
			if (PROPAGATE_STATES.contains(state)) {
				this.completion.fail(body, ChordCompletion.dependencyFailed(taskId, failure(value)), placement);
				return;
			}
			values.add(value.isNull() ? null : value);
		}
		this.completion.succeed(body, values, placement);
	}

	private static @Nullable TaskFailure failure(JsonNode exception) {
		if (!exception.isObject()) {
			return null;
		}
		JsonNode message = exception.path("exc_message");
		String text = message.isArray() ? (message.isEmpty() ? "" : message.path(0).asString()) : message.asString();
		return new TaskFailure(exception.path("exc_type").asString("Exception"),
				exception.path("exc_module").asString("builtins"), text, "");
	}

}

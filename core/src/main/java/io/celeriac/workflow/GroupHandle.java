package io.celeriac.workflow;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.celeriac.result.TaskState;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskTimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * A handle on a group: its id is the group id, and its result the members' results in
 * member order, converted to the requested (list) type.
 *
 * @param <T> the result type
 * @author Celeriac team
 */
final class GroupHandle<T> implements TaskHandle<T> {

	private final String groupId;

	private final List<TaskHandle<JsonNode>> members = new ArrayList<>();

	private final ObjectMapper mapper;

	private final Type resultType;

	GroupHandle(String groupId, List<String> memberIds, TaskClient tasks, ObjectMapper mapper, Type resultType) {
		this.groupId = groupId;
		for (String memberId : memberIds) {
			this.members.add(tasks.handle(memberId, JsonNode.class));
		}
		this.mapper = mapper;
		this.resultType = resultType;
	}

	@Override
	public String id() {
		return this.groupId;
	}

	@Override
	public String name() {
		return "celery.group";
	}

	@Override
	public TaskState status() {
		boolean started = false;
		boolean done = true;
		for (TaskHandle<JsonNode> member : this.members) {
			TaskState state = member.status();
			if (state.isFinal() && state != TaskState.SUCCESS) {
				return state;
			}
			done &= state == TaskState.SUCCESS;
			started |= state != TaskState.PENDING;
		}
		return done ? TaskState.SUCCESS : (started ? TaskState.STARTED : TaskState.PENDING);
	}

	@Override
	public T await(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<@Nullable JsonNode> values = new ArrayList<>();
		for (TaskHandle<JsonNode> member : this.members) {
			Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			try {
				values.add(member.await(left));
			}
			catch (TaskTimeoutException ex) {
				throw new TaskTimeoutException(this.groupId, status(), timeout);
			}
		}
		return convert(values);
	}

	@Override
	public CompletableFuture<T> toFuture() {
		List<CompletableFuture<JsonNode>> futures = this.members.stream().map(TaskHandle::toFuture).toList();
		return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
			.thenApply((ignored) -> convert(futures.stream().map(CompletableFuture::join).toList()));
	}

	private T convert(List<@Nullable JsonNode> values) {
		ArrayNode list = this.mapper.createArrayNode();
		values.forEach((value) -> list.add((value != null) ? value : this.mapper.nullNode()));
		return this.mapper.treeToValue(list, this.mapper.getTypeFactory().constructType(this.resultType));
	}

	@Override
	public String toString() {
		return "GroupHandle[" + this.groupId + ", " + this.members.size() + " members]";
	}

}

package io.celeriac.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.celeriac.protocol.InvalidTaskMessageException;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Joins chords as Celery 5.2.6 does over its database backend: the client publishes a
 * {@code celery.chord_unlock} task (routed by its name to the {@code celery} queue, an
 * {@code eta} one interval ahead) carrying the group id, the body and the members' ids;
 * whichever worker runs it, Java or Python, reads the members' results and, while one is
 * not done, publishes it again as {@code self.retry} does (same id, {@code retries} + 1,
 * {@code parent_id} its own id), at most {@link WorkflowSettings#chordUnlockMaxRetries()}
 * times. Once every member is done it publishes the body with the results in header order
 * ({@code parent_id} and {@code root_id} the unlock task's), or fails the body with a
 * {@code ChordError}.
 *
 * @author Celeriac team
 */
public class ChordUnlockJoin implements ChordJoin {

	/**
	 * The name of Celery's chord unlock task.
	 */
	public static final String TASK = "celery.chord_unlock";

	private static final Logger logger = LoggerFactory.getLogger(ChordUnlockJoin.class);

	private final ChordCompletion completion;

	private final @Nullable ResultStore results;

	private final WorkflowSettings settings;

	private final long confirmTimeoutMillis;

	/**
	 * Creates a join.
	 * @param completion publishes or fails the body
	 * @param results where the members' results are read, or {@code null} on a client
	 * that only starts chords
	 * @param settings the interval and the maximum of checks
	 * @param confirmTimeoutMillis how long to wait for the broker's confirmation
	 */
	public ChordUnlockJoin(ChordCompletion completion, @Nullable ResultStore results, WorkflowSettings settings,
			long confirmTimeoutMillis) {
		this.completion = completion;
		this.results = results;
		this.settings = settings;
		this.confirmTimeoutMillis = confirmTimeoutMillis;
	}

	@Override
	public void prepare(String groupId, int size) {
	}

	@Override
	public void started(String groupId, List<String> memberIds, Signature body, Placement placement) {
		SignaturePublisher publisher = this.completion.publisher();
		ObjectMapper mapper = publisher.mapper();
		List<Object> result = new ArrayList<>();
		for (String memberId : memberIds) {
			// AsyncResult.as_tuple(): ((id, parent), None)
			result.add(java.util.Arrays.asList(java.util.Arrays.asList(memberId, null), null));
		}
		Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
		kwargs.put("interval", null);
		kwargs.put("max_retries", this.settings.chordUnlockMaxRetries());
		kwargs.put("result", result);
		Map<String, Object> options = new LinkedHashMap<>();
		options.put(Signature.TASK_ID, UUID.randomUUID().toString());
		options.put("countdown", this.settings.chordUnlockInterval().toMillis() / 1000.0);
		options.put("ignore_result", true);
		Signature unlock = new Signature(TASK, List.of(groupId, body.toJson(mapper)), kwargs, options, false);
		SignaturePublisher.await(List.of(publisher.publish(unlock, null, placement, null, null)),
				this.confirmTimeoutMillis);
	}

	@Override
	public void memberDone(TaskMessage member, TaskResult outcome) {
		// the chord_unlock task reads the members' results itself
	}

	/**
	 * Runs a {@code celery.chord_unlock} message: publishes the body, fails it, or
	 * publishes the unlock task again to check later.
	 * @param message the message, from a Java or a Python client
	 * @param routingKey the routing key it was delivered with (a retry keeps it)
	 * @throws InvalidTaskMessageException if its arguments are not Celery's
	 */
	public void unlock(TaskMessage message, String routingKey) {
		check(message);
		ArrayNode args = message.body().args();
		ObjectNode kwargs = message.body().kwargs();
		Signature body = Signature.fromJson(args.get(1));
		List<String> memberIds = new ArrayList<>();
		for (JsonNode member : kwargs.path("result").values()) {
			// ((id, parent), None), or a bare id
			JsonNode id = member.isArray() ? member.path(0) : member;
			id = id.isArray() ? id.path(0) : id;
			memberIds.add(id.asString());
		}
		Placement placement = Placement.childOf(message.id(), message.headers().rootId());
		if (this.results == null) {
			this.completion.fail(body, "Cannot join chord " + args.get(0).asString() + ": this worker has no result "
					+ "store to read its header's results from", placement);
			return;
		}
		List<@Nullable JsonNode> values = new ArrayList<>();
		for (String memberId : memberIds) {
			Optional<TaskResult> found = this.results.find(memberId);
			TaskState state = found.map(TaskResult::state).orElse(TaskState.PENDING);
			if (!state.isFinal()) {
				retryLater(message, routingKey, kwargs, body, placement);
				return;
			}
			TaskResult result = found.get();
			if (state != TaskState.SUCCESS) {
				this.completion.fail(body, ChordCompletion.dependencyFailed(memberId, result.failure()), placement);
				return;
			}
			values.add(result.value());
		}
		this.completion.succeed(body, values, placement);
		logger.debug("Chord {} unlocked: body {}[{}] sent", args.get(0).asString(), body.task(), body.taskId());
	}

	/**
	 * Checks that a {@code celery.chord_unlock} message carries Celery's arguments.
	 * @param message the message
	 * @throws InvalidTaskMessageException if it does not
	 */
	static void check(TaskMessage message) {
		ArrayNode args = message.body().args();
		if (args.size() < 2 || !args.get(0).isString() || !args.get(1).isObject()
				|| !message.body().kwargs().path("result").isArray()) {
			throw new InvalidTaskMessageException(ErrorKind.ARGUMENTS_MISMATCH,
					"celery.chord_unlock needs the arguments (group_id, callback) and the keyword argument result, "
							+ "not " + args + " " + message.body().kwargs());
		}
		Signature.fromJson(args.get(1));
	}

	private void retryLater(TaskMessage message, String routingKey, ObjectNode kwargs, Signature body,
			Placement placement) {
		JsonNode maxNode = kwargs.path("max_retries");
		int maxRetries = maxNode.isNumber() ? maxNode.intValue() : this.settings.chordUnlockMaxRetries();
		TaskHeaders old = message.headers();
		if (old.retries() >= maxRetries) {
			this.completion.fail(body, "Chord " + message.body().args().get(0).asString() + " was not done after "
					+ old.retries() + " checks (celery.chord_unlock max_retries " + maxRetries + ")", placement);
			return;
		}
		JsonNode intervalNode = kwargs.path("interval");
		long intervalMillis = intervalNode.isNumber() ? Math.round(intervalNode.doubleValue() * 1000)
				: this.settings.chordUnlockInterval().toMillis();
		// sent again by this node, as Celery's chord_unlock sends itself again with
		// self.retry
		TaskHeaders headers = old.again(this.completion.publisher().origin())
			.eta(Instant.now().plusMillis(intervalMillis))
			.retries(old.retries() + 1)
			.build();
		TaskMessage next = new TaskMessage(headers, message.body(), message.replyTo(), message.priority(),
				message.expiration());
		SignaturePublisher.await(List.of(this.completion.publisher().publish(next, routingKey)),
				this.confirmTimeoutMillis);
	}

}

package io.celeriac.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.InvalidTaskMessageException;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.TaskFailure;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.CurrentTask;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The messages workflows are sent and continued with, compared with those Celery 5.2.6
 * published (client and worker) in {@code celery-wire/}.
 *
 * @author Celeriac team
 */
class WorkflowMessagesTests {

	private static final String CELERY_REPLY_TO = "005173cf-5c75-3d9a-87dc-aa5d4618c441";

	private final JsonMapper mapper = new JsonMapper();

	private final CeleryProtocol protocol = new CeleryProtocol(this.mapper);

	private final RecordingBroker broker = new RecordingBroker();

	private final Topology topology = new Topology("task_exchange", "", "platform.fifo", Set.of("reports", "exports"),
			QueueType.CLASSIC, ".error");

	private final SignaturePublisher publisher = new SignaturePublisher(this.broker, this.topology,
			new FirstSegmentTaskRouter(), this.protocol, List.of());

	private final InMemoryResultStore results = new InMemoryResultStore();

	private final WorkflowContinuation continuation = WorkflowContinuation.withChordUnlock(this.publisher, this.results,
			WorkflowSettings.defaults(), "java@test", 5000);

	private final WorkflowClient client = new WorkflowClient(this.publisher,
			new ChordUnlockJoin(new ChordCompletion(this.publisher, this.results, "java@test", 5000), this.results,
					WorkflowSettings.defaults(), 5000),
			new BrokerTaskClient(this.broker, this.topology, new FirstSegmentTaskRouter(), this.protocol, null), 5000);

	@Test
	void chainIsSentAsCelerySendsIt() throws IOException {
		JsonNode celery = capture("msg-chain.json").get(0);
		JsonNode celeryChain = celery.at("/body/2/chain");
		String second = celeryChain.get(1).at("/options/task_id").asString();
		String third = celeryChain.get(0).at("/options/task_id").asString();
		String first = celery.at("/headers/id").asString();
		this.client.send(Workflow.chain(Signature.of("reports.add", 1, 2).withTaskId(first),
				Signature.of("reports.add", 3).withTaskId(second), Signature.of("reports.add", 4).withTaskId(third)));
		assertThat(this.broker.published).hasSize(1);
		RecordingBroker.Published sent = this.broker.published.get(0);
		assertThat(sent.routingKey()).isEqualTo("reports");
		assertThat(body(sent)).isEqualTo(celeryBody(celery));
		assertWorkflowHeaders(sent.message(), celery);
	}

	@Test
	void linkAndLinkErrorAreSentAsCallbacksAndErrbacks() throws IOException {
		JsonNode celery = capture("msg-link-callbacks.json").get(0);
		this.client.send(Signature.of("reports.generate", 13)
			.link(Signature.of("exports.csv"))
			.linkError(Signature.immutableOf("exports.fail", "cleanup")));
		RecordingBroker.Published sent = this.broker.published.get(0);
		assertThat(body(sent).get(2)).isEqualTo(celeryBody(celery).get(2));
		assertThat(sent.message().headers()).containsEntry("root_id", sent.message().correlationId())
			.containsEntry("parent_id", null);
	}

	@Test
	void groupMembersCarryTheGroupIdAndNoIndex() throws IOException {
		List<JsonNode> celery = distinct(capture("msg-group.json"));
		this.client.send(Workflow.group(Signature.of("reports.add", 0, 0), Signature.of("reports.add", 1, 1),
				Signature.of("reports.add", 2, 2)));
		assertThat(this.broker.published).hasSize(3);
		Object group = this.broker.published.get(0).message().headers().get("group");
		assertThat(group).isNotNull();
		for (int i = 0; i < 3; i++) {
			RecordingBroker.Published sent = this.broker.published.get(i);
			assertThat(body(sent)).isEqualTo(celeryBody(celery.get(i)));
			assertThat(sent.message().headers()).containsEntry("group", group)
				.containsEntry("group_index", null)
				.containsEntry("root_id", sent.message().correlationId())
				.containsEntry("parent_id", null)
				.containsEntry("argsrepr", celery.get(i).at("/headers/argsrepr").asString());
		}
	}

	@Test
	void aChordUnlockCheckedTooEarlyIsSentAgainByThisNodeAsItsOwnChild() {
		this.client.send(Workflow.chord(List.of(Signature.of("reports.add", 1, 1), Signature.of("reports.add", 2, 2)),
				Signature.of("reports.tsum")));
		RecordingBroker.Published sent = this.broker.published.get(2);
		// as a Python client would have sent it
		TaskMessage unlock = this.protocol.decode(sent.message().withHeaders(Map.of("origin", "gen1@python")));
		ChordUnlockJoin join = new ChordUnlockJoin(new ChordCompletion(this.publisher, this.results, "java@test", 5000),
				this.results, WorkflowSettings.defaults(), 5000);
		join.unlock(unlock, sent.routingKey());
		assertThat(this.broker.published).hasSize(4);
		RecordingBroker.Published again = this.broker.published.get(3);
		assertThat(again.routingKey()).isEqualTo(sent.routingKey());
		assertThat(again.message().headers()).containsEntry("id", unlock.id())
			.containsEntry("task", "celery.chord_unlock")
			.containsEntry("retries", 1)
			.containsEntry("parent_id", unlock.id())
			.containsEntry("root_id", unlock.headers().rootId())
			.containsEntry("origin", this.publisher.origin());
	}

	@Test
	void chordSendsItsHeaderWithTheBodyAndAChordUnlockTask() throws IOException {
		List<JsonNode> celery = distinct(capture("msg-chord.json"));
		JsonNode celeryUnlock = celery.get(0);
		JsonNode celeryMember = celery.get(1);
		String bodyId = celeryMember.at("/body/2/chord/options/task_id").asString();
		this.client.send(Workflow.chord(List.of(Signature.of("reports.add", 1, 1), Signature.of("reports.add", 2, 2)),
				Signature.of("reports.tsum").withQueue("reports").withTaskId(bodyId)));
		assertThat(this.broker.published).hasSize(3);
		String groupId = (String) this.broker.published.get(0).message().headers().get("group");
		for (int i = 0; i < 2; i++) {
			RecordingBroker.Published member = this.broker.published.get(i);
			assertThat(body(member).get(2)).isEqualTo(celeryBody(celery.get(1 + i)).get(2));
			assertThat(member.message().headers()).containsEntry("group", groupId)
				.containsEntry("group_index", i)
				.containsEntry("root_id", member.message().correlationId());
		}
		RecordingBroker.Published unlock = this.broker.published.get(2);
		assertThat(unlock.routingKey()).isEqualTo(celeryUnlock.get("routing_key").asString());
		assertThat(unlock.message().headers()).containsEntry("task", "celery.chord_unlock")
			.containsEntry("ignore_result", true);
		assertThat(unlock.message().headers().get("eta")).isNotNull();
		JsonNode body = body(unlock);
		JsonNode celeryBody = celeryBody(celeryUnlock);
		assertThat(body.at("/0/0").asString()).isEqualTo(groupId);
		assertThat(body.at("/0/1")).isEqualTo(celeryBody.at("/0/1"));
		assertThat(body.at("/1/interval")).isEqualTo(celeryBody.at("/1/interval"));
		// Celery sends max_retries null (unbounded); Celeriac sends its configured bound
		assertThat(body.at("/1/max_retries").intValue()).isEqualTo(43_200);
		assertThat(body.at("/1/result").size()).isEqualTo(2);
		assertThat(body.at("/1/result/0/0/0").asString())
			.isEqualTo(this.broker.published.get(0).message().correlationId());
		assertThat(body.at("/1/result/0/0/1").isNull()).isTrue();
		assertThat(body.at("/1/result/0/1").isNull()).isTrue();
	}

	@Test
	void workerPublishesTheNextChainStepAsCeleryDoes() throws IOException {
		List<JsonNode> celery = distinct(capture("msg-worker-chain.json"));
		TaskMessage first = this.protocol.decode(wire(celery.get(0)));
		this.continuation.succeeded(first, "reports", IntNode.valueOf(3));
		assertThat(this.broker.published).hasSize(1);
		RecordingBroker.Published second = this.broker.published.get(0);
		// the steps keep the reply_to the client froze them with
		assertThat(body(second)).isEqualTo(rawBody(celery.get(1)));
		assertWorkflowHeaders(second.message(), celery.get(1));
		assertThat(second.message().replyTo()).isEqualTo(celery.get(1).at("/properties/reply_to").asString());
		TaskMessage secondMessage = this.protocol.decode(second.message());
		this.continuation.succeeded(secondMessage, "reports", IntNode.valueOf(6));
		RecordingBroker.Published third = this.broker.published.get(1);
		assertThat(body(third)).isEqualTo(rawBody(celery.get(2)));
		assertWorkflowHeaders(third.message(), celery.get(2));
	}

	@Test
	void workerPublishesLinkCallbacksAsCeleryDoes() throws IOException {
		List<JsonNode> celery = distinct(capture("msg-worker-link.json"));
		TaskMessage parent = this.protocol.decode(wire(celery.get(0)));
		this.continuation.succeeded(parent, "reports", IntNode.valueOf(4));
		assertThat(this.broker.published).hasSize(1);
		WireMessage callback = this.broker.published.get(0).message();
		assertThat(body(this.broker.published.get(0))).isEqualTo(celeryBody(celery.get(1)));
		assertThat(callback.headers()).containsEntry("parent_id", celery.get(1).at("/headers/parent_id").asString())
			.containsEntry("root_id", celery.get(1).at("/headers/root_id").asString())
			.containsEntry("argsrepr", "(4, 10)");
	}

	@Test
	void workerSendsErrbacksWithTheFailedTasksIdAndRecordsTheRestOfTheChainAsFailed() throws IOException {
		JsonNode celery = capture("msg-link-callbacks.json").get(0);
		TaskMessage parent = this.protocol.decode(wire(celery));
		this.continuation.failed(parent, "reports", new TaskFailure("ValueError", "builtins", "boom", ""));
		assertThat(this.broker.published).hasSize(1);
		WireMessage errback = this.broker.published.get(0).message();
		assertThat(errback.headers()).containsEntry("task", "exports.fail")
			.containsEntry("parent_id", parent.id())
			.containsEntry("root_id", parent.id());
		assertThat(errback.headers().get("group")).isNotNull();
		// immutable: the failed task's id is not prepended
		assertThat(body(this.broker.published.get(0)).get(0)).isEqualTo(this.mapper.readTree("[\"cleanup\"]"));
		TaskMessage chain = this.protocol.decode(wire(capture("msg-chain.json").get(0)));
		this.continuation.failed(chain, "reports", new TaskFailure("ValueError", "builtins", "boom", ""));
		for (JsonNode step : chain.body().embed().get("chain").values()) {
			TaskResult stored = this.results.find(step.at("/options/task_id").asString()).orElseThrow();
			assertThat(stored.state()).isEqualTo(TaskState.FAILURE);
			assertThat(stored.failure().message()).isEqualTo("boom");
		}
	}

	@Test
	void chordUnlockPublishesTheBodyWithResultsInHeaderOrderAsCeleryDoes() throws IOException {
		List<JsonNode> celery = distinct(capture("msg-worker-chord.json"));
		TaskMessage unlock = this.protocol.decode(wire(celery.get(0)));
		String member0 = celery.get(1).at("/headers/id").asString();
		String member1 = celery.get(2).at("/headers/id").asString();
		// the second member finishes first
		this.results.save(success(member1, 4));
		assertThat(this.continuation.runs(unlock)).isTrue();
		this.continuation.run(unlock, "celery");
		RecordingBroker.Published retry = this.broker.published.get(0);
		assertThat(retry.routingKey()).isEqualTo("celery");
		assertThat(retry.message().headers()).containsEntry("id", unlock.id())
			.containsEntry("retries", 1)
			.containsEntry("parent_id", unlock.id())
			.containsEntry("root_id", unlock.id());
		this.results.save(success(member0, 2));
		this.continuation.run(this.protocol.decode(retry.message()), "celery");
		RecordingBroker.Published body = this.broker.published.get(1);
		assertThat(body.routingKey()).isEqualTo("reports");
		assertThat(body(body)).isEqualTo(celeryBody(celery.get(3)));
		assertWorkflowHeaders(body.message(), celery.get(3));
	}

	@Test
	void chordUnlockFailsTheBodyOnceWithAChordErrorWhenAMemberFailed() throws IOException {
		List<JsonNode> celery = distinct(capture("msg-worker-chord.json"));
		TaskMessage unlock = this.protocol.decode(wire(celery.get(0)));
		String member0 = celery.get(1).at("/headers/id").asString();
		String member1 = celery.get(2).at("/headers/id").asString();
		this.results.save(success(member0, 2));
		this.results.save(
				new TaskResult(member1, TaskState.FAILURE, null, new TaskFailure("ValueError", "builtins", "boom", ""),
						"reports.add", null, null, null, 0, null, Instant.now()));
		this.continuation.run(unlock, "celery");
		assertThat(this.broker.published).isEmpty();
		String bodyId = celery.get(3).at("/headers/id").asString();
		TaskResult body = this.results.find(bodyId).orElseThrow();
		assertThat(body.state()).isEqualTo(TaskState.FAILURE);
		assertThat(body.failure().exceptionType()).isEqualTo("ChordError");
		assertThat(body.failure().message()).isEqualTo("Dependency " + member1 + " raised ValueError('boom')");
	}

	@Test
	void taskSentWhileAnotherRunsIsItsChild() throws IOException {
		JsonNode celery = distinct(capture("msg-worker-child.json")).get(1);
		BrokerTaskClient tasks = new BrokerTaskClient(this.broker, this.topology, new FirstSegmentTaskRouter(),
				this.protocol, null);
		try (CurrentTask.Scope scope = CurrentTask.enter("parent-id", "root-id")) {
			tasks.send("reports.generate", List.of(5), Map.of(), io.celeriac.task.TaskOptions.defaults());
			this.client.send(Signature.of("reports.generate", 5));
		}
		for (RecordingBroker.Published sent : this.broker.published) {
			assertThat(sent.message().headers()).containsEntry("parent_id", "parent-id")
				.containsEntry("root_id", "root-id");
			assertThat(body(sent)).isEqualTo(celeryBody(celery));
		}
	}

	@Test
	void messagesWhoseWorkflowCannotBeContinuedAreRefusedBeforeTheyRun() throws IOException {
		JsonNode celery = capture("msg-chain.json").get(0);
		String nested = celery.get("body_raw")
			.asString()
			.replaceFirst("\"subtask_type\": null", "\"subtask_type\": \"group\"");
		TaskMessage withGroupStep = this.protocol.decode(withBody(wire(celery), nested));
		assertThatExceptionOfType(InvalidTaskMessageException.class)
			.isThrownBy(() -> this.continuation.check(withGroupStep))
			.withMessageContaining("group")
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(ErrorKind.BODY_NOT_PROTOCOL_V2));
		JsonNode unlock = distinct(capture("msg-worker-chord.json")).get(0);
		TaskMessage badUnlock = this.protocol.decode(withBody(wire(unlock), "[[\"only-a-group-id\"], {}, {}]"));
		assertThatExceptionOfType(InvalidTaskMessageException.class)
			.isThrownBy(() -> this.continuation.check(badUnlock))
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(ErrorKind.ARGUMENTS_MISMATCH));
	}

	private static WireMessage withBody(WireMessage message, String body) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), message.contentType(), message.contentEncoding(),
				message.headers(), message.correlationId(), message.replyTo(), message.priority(), true, null);
	}

	@Test
	void signaturesReadFromJsonKeepTheirOptionsAsPlainValues() {
		Signature signature = Signature.fromJson(this.mapper.readTree("{\"task\": \"reports.add\", \"args\": [1], "
				+ "\"kwargs\": {}, \"options\": {\"task_id\": \"x\", \"priority\": 5, \"countdown\": 1.5, "
				+ "\"ignore_result\": true, \"link\": [{\"task\": \"exports.csv\", \"args\": [], \"kwargs\": {}, "
				+ "\"options\": {}, \"subtask_type\": null, \"immutable\": false}]}, \"subtask_type\": null, "
				+ "\"immutable\": true}"));
		assertThat(signature.taskId()).isEqualTo("x");
		assertThat(signature.immutable()).isTrue();
		assertThat(signature.links()).extracting(Signature::task).containsExactly("exports.csv");
		TaskMessage message = this.publisher.message(signature, null, Placement.current(), null, null);
		assertThat(message.priority()).isEqualTo(5);
		assertThat(message.headers().ignoreResult()).isTrue();
		assertThat(message.headers().eta()).isNotNull();
		assertThat(message.body().embed().get("callbacks").get(0).get("task").asString()).isEqualTo("exports.csv");
		assertThat(Signature.fromJson(signature.toJson(this.mapper))).isEqualTo(signature);
	}

	@Test
	void deferrableMethodsGiveSignatures() {
		Signature signature = Signatures.of(Reports.class, (reports) -> reports.render(42, "pdf"));
		assertThat(signature.task()).isEqualTo("reports.render");
		assertThat(signature.args()).containsExactly(42, "pdf");
	}

	/**
	 * A bean with a task method.
	 */
	static class Reports {

		@io.celeriac.task.Deferrable(name = "reports.render")
		public void render(int id, String format) {
			throw new IllegalStateException("must not run");
		}

	}

	private static TaskResult success(String id, int value) {
		return new TaskResult(id, TaskState.SUCCESS, IntNode.valueOf(value), null, "reports.add", null, null, null, 0,
				null, Instant.now());
	}

	private void assertWorkflowHeaders(WireMessage sent, JsonNode celery) {
		for (String header : List.of("id", "root_id", "parent_id", "group", "group_index", "argsrepr", "kwargsrepr")) {
			JsonNode expected = celery.get("headers").get(header);
			Object actual = sent.headers().get(header);
			assertThat((actual != null) ? this.mapper.valueToTree(actual) : this.mapper.nullNode()).as(header)
				.isEqualTo(expected);
		}
	}

	private JsonNode body(RecordingBroker.Published sent) {
		String text = new String(sent.message().body(), StandardCharsets.UTF_8).replace(this.publisher.replyTo(),
				CELERY_REPLY_TO);
		return this.mapper.readTree(text);
	}

	private JsonNode celeryBody(JsonNode message) {
		return this.mapper.readTree(message.get("body_raw")
			.asString()
			.replace(message.at("/properties/reply_to").asString(), CELERY_REPLY_TO));
	}

	private JsonNode rawBody(JsonNode message) {
		return this.mapper.readTree(message.get("body_raw").asString());
	}

	private List<JsonNode> capture(String file) throws IOException {
		try (InputStream input = getClass().getResourceAsStream("/celery-wire/" + file)) {
			List<JsonNode> messages = new ArrayList<>();
			this.mapper.readTree(input).get("messages").values().forEach(messages::add);
			return messages;
		}
	}

	/**
	 * One copy of each message (the capture holds one per queue it reached).
	 */
	private static List<JsonNode> distinct(List<JsonNode> messages) {
		Map<String, JsonNode> seen = new LinkedHashMap<>();
		for (JsonNode message : messages) {
			seen.putIfAbsent(message.at("/headers/id").asString() + "/" + message.at("/headers/retries").asInt(),
					message);
		}
		return new ArrayList<>(seen.values());
	}

	private WireMessage wire(JsonNode message) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		message.get("headers").properties().forEach((entry) -> headers.put(entry.getKey(), plain(entry.getValue())));
		JsonNode properties = message.get("properties");
		return new WireMessage(message.get("body_raw").asString().getBytes(StandardCharsets.UTF_8),
				properties.get("content_type").asString(), properties.get("content_encoding").asString(), headers,
				properties.get("correlation_id").asString(), properties.get("reply_to").asString(),
				properties.get("priority").intValue(), true, null);
	}

	private @Nullable Object plain(JsonNode value) {
		if (value.isNull()) {
			return null;
		}
		if (value.isInt()) {
			return value.intValue();
		}
		if (value.isBoolean()) {
			return value.booleanValue();
		}
		if (value.isArray()) {
			List<@Nullable Object> list = new ArrayList<>();
			value.values().forEach((element) -> list.add(plain(element)));
			return list;
		}
		return value.asString();
	}

}

package io.celeriac.test.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.control.ActiveTasks;
import io.celeriac.control.Revocations;
import io.celeriac.events.CeleryEvent;
import io.celeriac.events.EventDispatcher;
import io.celeriac.events.LamportClock;
import io.celeriac.events.TaskEvents;
import io.celeriac.events.WorkerEventHeartbeat;
import io.celeriac.events.memory.InMemoryEventTransport;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.TaskBody;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.TimeLimit;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.memory.InMemoryRevokedTaskStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskClientExtensions;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskRateLimits;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerExtensions;
import io.celeriac.worker.WorkerSettings;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task events of the outcomes the interop test does not show, on the in-memory
 * broker: a retried task, an expired one, a revoked and a terminated one, messages
 * rejected to the error queue or handed back at shutdown, one parked for its {@code eta},
 * and the heartbeat's {@code active} while a task runs.
 *
 * @author Celeriac team
 */
class TaskEventsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String WORKER = "events-memory@test";

	private final InMemoryEventTransport transport = new InMemoryEventTransport();

	private final List<CeleryEvent> events = new CopyOnWriteArrayList<>();

	private final Tasks tasks = new Tasks();

	private final InMemoryBroker broker = new InMemoryBroker();

	private TaskEvents taskEvents;

	private TaskWorker worker;

	private ResultWatcher watcher;

	private BrokerTaskClient client;

	private Revocations revocations;

	private Topology topology;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final CeleryProtocol protocol = new CeleryProtocol(this.mapper);

	@BeforeEach
	void start() throws NoSuchMethodException {
		JsonMapper mapper = this.mapper;
		CeleryProtocol protocol = this.protocol;
		Topology topology = new Topology("tasks", "dev-", "platform.fifo", java.util.Set.of("flaky"), QueueType.CLASSIC,
				".error");
		this.broker.declare(topology);
		this.topology = topology;
		LamportClock clock = new LamportClock();
		this.taskEvents = new TaskEvents(new EventDispatcher(this.transport, "producer@test", clock),
				new EventDispatcher(this.transport, WORKER, clock), topology, mapper);
		this.transport.subscribe(this.events::add);
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("flaky.once", this.tasks, Tasks.class.getMethod("once")));
		registry.register(new TaskMethod("flaky.hold", this.tasks, Tasks.class.getMethod("hold")));
		InMemoryResultStore results = new InMemoryResultStore();
		// one at a time: a retry is published before the failed attempt is settled, so
		// with more threads the next attempt could overtake it
		WorkerSettings settings = new WorkerSettings(WORKER, List.of("flaky"), 1, 1, 1 << 20, true,
				Duration.ofSeconds(1), Duration.ofSeconds(10), WorkerSettings.DEFAULT_MAX_DELIVERIES);
		ActiveTasks active = new ActiveTasks();
		this.revocations = new Revocations(new InMemoryRevokedTaskStore(RevokedTaskStore.Limits.CELERY),
				RevokedTaskStore.Limits.CELERY, active);
		this.worker = TaskWorker
			.builder(this.broker, registry, protocol,
					new ErrorQueue(this.broker, topology, WORKER, settings.confirmTimeout()), topology,
					new FirstSegmentTaskRouter(), settings)
			.results(results)
			.extensions(new WorkerExtensions(List.of(this.taskEvents), List.of(active, this.taskEvents), List.of()))
			.rateLimits(new TaskRateLimits(new InMemoryLimiters(), Map.of()))
			.revocation(this.revocations)
			.build();
		this.worker.start();
		this.watcher = new ResultWatcher(results);
		this.client = new BrokerTaskClient(this.broker, topology, new FirstSegmentTaskRouter(), protocol, this.watcher,
				null, new TaskClientExtensions(List.of(), List.of(this.taskEvents), ObservationRegistry.NOOP, null));
	}

	@AfterEach
	void stop() {
		this.tasks.release.countDown();
		this.worker.stop();
		this.watcher.destroy();
	}

	@Test
	void aRetriedTaskSendsTaskRetriedThenRunsAgain() {
		TaskHandle<String> handle = this.client.send("flaky.once", List.of(), Map.of(), TaskOptions.defaults(),
				String.class);
		assertThat(handle.await(WAIT)).isEqualTo("second time");
		await().atMost(WAIT).until(() -> types(handle.id()).contains("task-succeeded"));
		assertThat(types(handle.id()).stream().filter((type) -> !type.equals("task-sent"))).containsExactly(
				"task-received", "task-started", "task-retried", "task-received", "task-started", "task-succeeded");
		CeleryEvent retried = event(handle.id(), "task-retried");
		assertThat(retried.get("exception")).isEqualTo("IllegalStateException('first time')");
		assertThat((String) retried.get("traceback")).contains("IllegalStateException: first time");
		assertThat(event(handle.id(), "task-succeeded").get("result")).isEqualTo("'second time'");
	}

	@Test
	void anExpiredTaskIsRevokedAsExpiredAndNeverStarted() {
		// as Python sends it: an expires header without the AMQP expiration property,
		// which would have the broker drop it
		String id = java.util.UUID.randomUUID().toString();
		TaskHeaders headers = new TaskHeaders("py", "flaky.once", id, null, null,
				CeleryTime.format(Instant.now().minusSeconds(60)), null, null, 0, TimeLimit.NONE, id, null, "()", "{}",
				"gen1@python", false, Map.of());
		TaskMessage message = new TaskMessage(headers, new TaskBody(this.mapper.createArrayNode(),
				this.mapper.createObjectNode(), this.mapper.createObjectNode()), "", 0, null);
		this.broker.publish("tasks", "flaky", this.protocol.encode(message)).join();
		await().atMost(WAIT).until(() -> types(id).contains("task-revoked"));
		CeleryEvent revoked = event(id, "task-revoked");
		assertThat(revoked.fields()).containsEntry("terminated", false)
			.containsEntry("signum", null)
			.containsEntry("expired", true);
		assertThat(types(id)).doesNotContain("task-started", "task-received");
	}

	@Test
	void aRevokedTaskIsRevokedNeitherTerminatedNorExpiredAndNeverStarted() {
		String id = java.util.UUID.randomUUID().toString();
		this.revocations.revoke(List.of(id), false);
		this.client.send("flaky.once", List.of(), Map.of(), TaskOptions.defaults().withTaskId(id), String.class);
		await().atMost(WAIT).until(() -> types(id).contains("task-revoked"));
		assertThat(event(id, "task-revoked").fields()).containsEntry("terminated", false)
			.containsEntry("signum", null)
			.containsEntry("expired", false);
		assertThat(types(id)).doesNotContain("task-received", "task-started");
		assertThat(this.tasks.calls).hasValue(0);
	}

	@Test
	void aTaskTerminatedWhileItRunsIsRevokedAsTerminated() {
		TaskHandle<String> handle = this.client.send("flaky.hold", List.of(), Map.of(), TaskOptions.defaults(),
				String.class);
		await().atMost(WAIT).until(() -> types(handle.id()).contains("task-started"));
		assertThat(this.revocations.revoke(List.of(handle.id()), true)).containsExactly(handle.id());
		await().atMost(WAIT).until(() -> types(handle.id()).contains("task-revoked"));
		assertThat(event(handle.id(), "task-revoked").fields()).containsEntry("terminated", true)
			.containsEntry("signum", null)
			.containsEntry("expired", false);
		assertThat(types(handle.id()).stream().filter((type) -> !type.equals("task-sent")))
			.containsExactly("task-received", "task-started", "task-revoked");
	}

	@Test
	void aMessageForAnUnknownTaskIsRejectedWithoutRequeue() {
		String id = publish("flaky.unknown", this.mapper.createArrayNode());
		await().atMost(WAIT).until(() -> types(id).contains("task-rejected"));
		assertThat(event(id, "task-rejected").fields()).containsEntry("requeue", false);
		assertThat(types(id)).doesNotContain("task-started", "task-failed");
		assertThat(this.broker.stats(this.topology.errorQueueName(this.topology.queueName("flaky"))).ready())
			.isEqualTo(1);
	}

	@Test
	void aMessageWhoseArgumentsDoNotFitIsRejectedWithoutRequeue() {
		String id = publish("flaky.once", this.mapper.createArrayNode().add(1));
		await().atMost(WAIT).until(() -> types(id).contains("task-rejected"));
		assertThat(event(id, "task-rejected").fields()).containsEntry("requeue", false);
		assertThat(types(id)).doesNotContain("task-started");
		assertThat(this.tasks.calls).hasValue(0);
	}

	@Test
	void anUndecodableMessageIsRejectedUnderTheIdOfItsHeaders() {
		String id = java.util.UUID.randomUUID().toString();
		WireMessage garbage = new WireMessage("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8),
				"application/json", "utf-8", Map.of("id", id, "task", "flaky.once"), id, null, 0, true, null);
		this.broker.publish("tasks", "flaky", garbage).join();
		await().atMost(WAIT).until(() -> types(id).contains("task-rejected"));
		assertThat(event(id, "task-rejected").fields()).containsEntry("requeue", false);
		assertThat(types(id)).containsExactly("task-rejected");
	}

	@Test
	void aTaskInterruptedByTheWorkersShutdownIsRejectedWithRequeue() {
		TaskHandle<String> handle = this.client.send("flaky.hold", List.of(), Map.of(), TaskOptions.defaults(),
				String.class);
		await().atMost(WAIT).until(() -> types(handle.id()).contains("task-started"));
		// the hold outlasts the shutdown timeout, so the stop interrupts it
		this.worker.stop();
		await().atMost(WAIT).until(() -> types(handle.id()).contains("task-rejected"));
		assertThat(event(handle.id(), "task-rejected").fields()).containsEntry("requeue", true);
		assertThat(types(handle.id())).doesNotContain("task-failed", "task-revoked");
		assertThat(this.broker.stats(this.topology.queueName("flaky")).ready()).isEqualTo(1);
	}

	@Test
	void aTaskParkedForItsEtaIsReceivedOnceWhenItComesBackDue() {
		this.tasks.calls.set(1);
		TaskHandle<String> handle = this.client.send("flaky.once", List.of(), Map.of(),
				TaskOptions.defaults().withCountdown(Duration.ofMillis(200)), String.class);
		assertThat(handle.await(WAIT)).isEqualTo("second time");
		await().atMost(WAIT).until(() -> types(handle.id()).contains("task-succeeded"));
		assertThat(types(handle.id())).containsExactly("task-sent", "task-received", "task-started", "task-succeeded");
		assertThat((String) event(handle.id(), "task-received").get("eta")).isNotNull();
	}

	@Test
	void theHeartbeatCountsTheTaskRunning() {
		WorkerEventHeartbeat heartbeat = new WorkerEventHeartbeat(
				new EventDispatcher(this.transport, WORKER, new LamportClock()), this.taskEvents,
				Duration.ofMillis(100));
		heartbeat.start();
		try {
			this.client.send("flaky.hold", List.of(), Map.of(), TaskOptions.defaults(), String.class);
			await().atMost(WAIT)
				.until(() -> this.events.stream()
					.anyMatch((event) -> event.type().equals("worker-heartbeat")
							&& ((Number) event.get("active")).intValue() == 1
							&& ((Number) event.get("processed")).intValue() == 1));
		}
		finally {
			heartbeat.stop();
		}
		assertThat(this.events).extracting(CeleryEvent::type).contains("worker-online", "worker-offline");
	}

	private String publish(String taskName, tools.jackson.databind.node.ArrayNode args) {
		String id = java.util.UUID.randomUUID().toString();
		TaskHeaders headers = new TaskHeaders("py", taskName, id, null, null, null, null, null, 0, TimeLimit.NONE, id,
				null, args.toString(), "{}", "gen1@python", false, Map.of());
		TaskMessage message = new TaskMessage(headers,
				new TaskBody(args, this.mapper.createObjectNode(), this.mapper.createObjectNode()), "", 0, null);
		this.broker.publish("tasks", "flaky", this.protocol.encode(message)).join();
		return id;
	}

	private List<String> types(String taskId) {
		return this.events.stream().filter((event) -> taskId.equals(event.taskId())).map(CeleryEvent::type).toList();
	}

	private CeleryEvent event(String taskId, String type) {
		return this.events.stream()
			.filter((event) -> taskId.equals(event.taskId()) && type.equals(event.type()))
			.findFirst()
			.orElseThrow();
	}

	public static class Tasks {

		final AtomicInteger calls = new AtomicInteger();

		final CountDownLatch release = new CountDownLatch(1);

		@Deferrable(name = "flaky.once", retryOn = IllegalStateException.class, maxAttempts = 2,
				backoffDelayMillis = 10, backoffJitter = false)
		public String once() {
			if (this.calls.incrementAndGet() == 1) {
				throw new IllegalStateException("first time");
			}
			return "second time";
		}

		public String hold() throws InterruptedException {
			this.release.await(30, TimeUnit.SECONDS);
			return "released";
		}

	}

}

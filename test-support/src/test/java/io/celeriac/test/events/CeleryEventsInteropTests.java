package io.celeriac.test.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.celeriac.control.ActiveTasks;
import io.celeriac.control.Revocations;
import io.celeriac.events.EventDispatcher;
import io.celeriac.events.LamportClock;
import io.celeriac.events.TaskEvents;
import io.celeriac.events.WorkerEventHeartbeat;
import io.celeriac.events.rabbit.RabbitEventTransport;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.monitor.TaskEventRecorder;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.Origin;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.memory.InMemoryRevokedTaskStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskClientExtensions;
import io.celeriac.task.TaskFailedException;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.celery.PythonEventReceiver;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskRateLimits;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerExtensions;
import io.celeriac.worker.WorkerSettings;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A Java producer and worker with Celery events on, watched by Celery 5.2.6's own
 * {@code app.events.Receiver} and {@code app.events.State()} in a Python process: the
 * task-sent, task-received, task-started and task-succeeded (or task-failed) events of a
 * Java task, with Celery's field types, make {@code State} count the task in its final
 * state on the Java worker, and the worker's heartbeats keep it alive there.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(Lifecycle.PER_CLASS)
class CeleryEventsInteropTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final String WORKER = "events-java@test";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final CeleryProtocol protocol = new CeleryProtocol(this.mapper);

	private @Nullable RabbitTestBroker rabbit;

	private @Nullable PythonEventReceiver receiver;

	private @Nullable RabbitEventTransport transport;

	private @Nullable WorkerEventHeartbeat heartbeat;

	private @Nullable TaskWorker worker;

	private @Nullable ResultWatcher watcher;

	private @Nullable BrokerTaskClient client;

	private @Nullable LamportClock clock;

	private @Nullable Topology topology;

	private @Nullable TaskEvents events;

	private @Nullable String eventExchange;

	private @Nullable PythonCelery python;

	private @Nullable Revocations revocations;

	@BeforeAll
	void start(RabbitEndpoint endpoint, ServiceIsolation isolation) throws NoSuchMethodException {
		PythonCelery python = PythonCelery.assumeInstalled();
		String eventExchange = isolation.exchange("celeryev");
		this.eventExchange = eventExchange;
		this.python = python;
		this.receiver = python.startEventReceiver(
				CeleryTopology.of(endpoint, isolation.exchange("unused"), isolation.queueNamePrefix(), "pyservice"),
				eventExchange);
		RabbitTestBroker rabbit = new RabbitTestBroker(endpoint, isolation);
		this.rabbit = rabbit;
		Topology topology = rabbit.newTopology("sample");
		rabbit.broker().declare(topology);
		this.topology = topology;
		this.transport = new RabbitEventTransport(rabbit.connectionFactory(), new RabbitEventTransport.Settings(
				eventExchange, 10_000, "celeryev", Duration.ofSeconds(5), Duration.ofSeconds(60)));
		this.clock = new LamportClock();
		EventDispatcher producer = new EventDispatcher(this.transport, Origin.current(), this.clock);
		EventDispatcher workerEvents = new EventDispatcher(this.transport, WORKER, this.clock);
		TaskEvents events = new TaskEvents(producer, workerEvents, topology, this.mapper);
		this.events = events;
		this.heartbeat = new WorkerEventHeartbeat(workerEvents, events, Duration.ofSeconds(1));
		this.heartbeat.start();
		TaskRegistry registry = new TaskRegistry();
		Tasks tasks = new Tasks();
		registry.register(new TaskMethod("sample.add", tasks, Tasks.class.getMethod("add", int.class, int.class)));
		registry.register(new TaskMethod("sample.fail", tasks, Tasks.class.getMethod("fail", String.class)));
		InMemoryResultStore results = new InMemoryResultStore();
		WorkerSettings settings = new WorkerSettings(WORKER, List.of("sample"), 2, 5, 1 << 20, true,
				Duration.ofSeconds(5), Duration.ofSeconds(10), WorkerSettings.DEFAULT_MAX_DELIVERIES);
		ActiveTasks active = new ActiveTasks();
		Revocations revocations = new Revocations(new InMemoryRevokedTaskStore(RevokedTaskStore.Limits.CELERY),
				RevokedTaskStore.Limits.CELERY, active);
		this.revocations = revocations;
		this.worker = TaskWorker
			.builder(rabbit.broker(), registry, this.protocol,
					new ErrorQueue(rabbit.broker(), topology, WORKER, settings.confirmTimeout()), topology,
					new FirstSegmentTaskRouter(), settings)
			.results(results)
			.extensions(new WorkerExtensions(List.of(events), List.of(active, events), List.of()))
			.rateLimits(new TaskRateLimits(new InMemoryLimiters(), Map.of()))
			.revocation(revocations)
			.build();
		this.worker.start();
		this.watcher = new ResultWatcher(results);
		this.client = new BrokerTaskClient(rabbit.broker(), topology, new FirstSegmentTaskRouter(), this.protocol,
				this.watcher, null,
				new TaskClientExtensions(List.of(), List.of(events), ObservationRegistry.NOOP, null));
	}

	@AfterAll
	void stop() {
		if (this.worker != null) {
			this.worker.stop();
		}
		if (this.heartbeat != null) {
			this.heartbeat.stop();
		}
		if (this.watcher != null) {
			this.watcher.destroy();
		}
		if (this.transport != null) {
			this.transport.destroy();
		}
		if (this.rabbit != null) {
			this.rabbit.close();
		}
		if (this.receiver != null) {
			this.receiver.close();
		}
	}

	@Test
	void celerysStateCountsAJavaTaskAsSucceededOnTheJavaWorker() {
		TaskHandle<Integer> handle = client().send("sample.add", List.of(2, 3), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(5);
		// task-sent (the producer's) and the worker's events come in no set order:
		// State has the client from task-sent once both have arrived
		Map<String, Object> task = receiver().awaitTask(handle.id(),
				(seen) -> "SUCCESS".equals(seen.get("state")) && seen.get("client") != null,
				"in state SUCCESS with its task-sent event", WAIT);
		assertThat(task).containsEntry("name", "sample.add")
			.containsEntry("args", "[2, 3]")
			.containsEntry("kwargs", "{}")
			.containsEntry("worker", WORKER)
			.containsEntry("client", Origin.current())
			.containsEntry("result", "5")
			.containsEntry("routing_key", "sample")
			.containsEntry("retries", 0);
		assertThat(task.get("runtime")).isInstanceOf(Double.class);
		// task-sent follows the broker's confirm, so it may come in after task-received
		receiver().awaitState((state) -> receiver().events(handle.id()).size() == 4, "the task's four events", WAIT);
		List<String> types = receiver().events(handle.id())
			.stream()
			.map((event) -> (String) event.get("type"))
			.toList();
		assertThat(types).containsExactlyInAnyOrder("task-sent", "task-received", "task-started", "task-succeeded");
		assertThat(types.stream().filter((type) -> !type.equals("task-sent"))).containsExactly("task-received",
				"task-started", "task-succeeded");
		Map<String, Object> sent = event(handle.id(), "task-sent");
		assertThat(sent).containsEntry("hostname", Origin.current())
			.containsEntry("name", "sample.add")
			.containsEntry("args", "[2, 3]")
			.containsEntry("routing_key", "sample")
			.containsEntry("exchange", topology().exchange())
			.containsEntry("queue", topology().queueName("sample"))
			.containsEntry("root_id", handle.id())
			.containsKeys("eta", "expires", "parent_id", "retries", "clock", "pid", "utcoffset", "timestamp");
		assertThat(event(handle.id(), "task-received")).containsEntry("hostname", WORKER)
			.containsEntry("name", "sample.add")
			.containsEntry("args", "[2, 3]")
			.containsKeys("kwargs", "root_id", "parent_id", "retries", "eta", "expires");
		assertThat(event(handle.id(), "task-succeeded")).containsEntry("result", "5").containsKey("runtime");
	}

	@Test
	void celerysStateCountsAFailingJavaTaskAsFailedWithItsException() {
		TaskHandle<String> handle = client().send("sample.fail", List.of("boom"), Map.of(), TaskOptions.defaults(),
				String.class);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> handle.await(WAIT));
		Map<String, Object> task = receiver().awaitTaskState(handle.id(), "FAILURE", WAIT);
		assertThat(task).containsEntry("exception", "IllegalStateException('boom')").containsEntry("worker", WORKER);
		assertThat((String) task.get("traceback")).contains("IllegalStateException").contains("Tasks.fail");
		assertThat(receiver().events(handle.id())).extracting((event) -> event.get("type"))
			.contains("task-received", "task-started", "task-failed");
	}

	@Test
	void celerysStateCountsARevokedJavaTaskAsRevoked() {
		String id = java.util.UUID.randomUUID().toString();
		Objects.requireNonNull(this.revocations).revoke(List.of(id), false);
		client().send("sample.add", List.of(1, 2), Map.of(), TaskOptions.defaults().withTaskId(id), Integer.class);
		Map<String, Object> task = receiver().awaitTaskState(id, "REVOKED", WAIT);
		assertThat(task).containsEntry("worker", WORKER);
		assertThat(event(id, "task-revoked")).containsEntry("terminated", false)
			.containsEntry("signum", null)
			.containsEntry("expired", false);
	}

	@Test
	void celerysStateKeepsTheJavaWorkerAliveFromItsHeartbeats() {
		TaskHandle<Integer> handle = client().send("sample.add", List.of(1, 1), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(2);
		// processed is only above zero in a heartbeat sent after a task ran:
		// worker-online
		// had 0
		Map<String, Object> state = receiver().awaitState((celery) -> {
			Map<String, Object> worker = worker(celery, WORKER);
			return worker != null && Boolean.TRUE.equals(worker.get("alive"))
					&& ((Number) worker.get("processed")).intValue() >= 1;
		}, "worker " + WORKER + " alive with a task processed", WAIT);
		Map<String, Object> worker = Objects.requireNonNull(worker(state, WORKER));
		assertThat(worker).containsEntry("sw_ident", "celeriac").containsEntry("freq", 1.0);
		assertThat(worker.get("loadavg")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(3);
		assertThat(receiver().events()).filteredOn((event) -> WORKER.equals(event.get("hostname")))
			.extracting((event) -> event.get("type"))
			.contains("worker-online", "worker-heartbeat");
	}

	@Test
	void aStoppedHeartbeatSaysTheWorkerWentOffline() {
		String name = "events-offline@test";
		WorkerEventHeartbeat other = new WorkerEventHeartbeat(
				new EventDispatcher(Objects.requireNonNull(this.transport), name, Objects.requireNonNull(this.clock)),
				Objects.requireNonNull(this.events), Duration.ofSeconds(1));
		other.start();
		receiver().awaitState(
				(celery) -> worker(celery, name) != null
						&& Boolean.TRUE.equals(Objects.requireNonNull(worker(celery, name)).get("alive")),
				name + " alive", WAIT);
		other.stop();
		receiver().awaitState(
				(celery) -> worker(celery, name) != null
						&& Boolean.FALSE.equals(Objects.requireNonNull(worker(celery, name)).get("alive")),
				name + " offline", WAIT);
		assertThat(receiver().events()).filteredOn((event) -> name.equals(event.get("hostname")))
			.extracting((event) -> event.get("type"))
			.contains("worker-online", "worker-offline");
	}

	@Test
	void theMonitorRecordsAPythonWorkersTaskFromItsEvents(RabbitEndpoint endpoint, ServiceIsolation isolation) {
		CeleryTopology topology = CeleryTopology.of(endpoint, isolation.exchange("pytasks"),
				isolation.queueNamePrefix() + "py-", "pyservice");
		topology.queueNames().forEach(isolation::removeAfterwards);
		InMemoryResultStore results = new InMemoryResultStore();
		TaskEventRecorder recorder = new TaskEventRecorder(Objects.requireNonNull(this.transport), results);
		recorder.start();
		try (PythonCeleryWorker worker = Objects.requireNonNull(this.python)
			.startWorker(topology, List.of("pyservice"), WAIT, Map.of("INTEROP_SEND_EVENTS", "1",
					"INTEROP_EVENT_EXCHANGE", Objects.requireNonNull(this.eventExchange)))) {
			String id = this.python.sendTask(topology, "pyservice.multiply", List.of(6, 7));
			// no result backend: only the events tell the outcome
			await().atMost(WAIT).until(() -> results.find(id).isPresent());
			TaskResult result = results.find(id).orElseThrow();
			assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
			assertThat(result.value()).isEqualTo(StringNode.valueOf("42"));
			assertThat(result.name()).isEqualTo("pyservice.multiply");
			assertThat(result.worker()).startsWith("interop-");
		}
		finally {
			recorder.stop();
		}
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> worker(Map<String, Object> state, String name) {
		return (Map<String, Object>) ((Map<String, Object>) state.get("workers")).get(name);
	}

	private Map<String, Object> event(String taskId, String type) {
		return receiver().events(taskId)
			.stream()
			.filter((event) -> type.equals(event.get("type")))
			.findFirst()
			.orElseThrow();
	}

	private PythonEventReceiver receiver() {
		return Objects.requireNonNull(this.receiver);
	}

	private BrokerTaskClient client() {
		return Objects.requireNonNull(this.client);
	}

	private Topology topology() {
		return Objects.requireNonNull(this.topology);
	}

	public static class Tasks {

		public int add(int x, int y) {
			return x + y;
		}

		public String fail(String message) {
			throw new IllegalStateException(message);
		}

	}

}

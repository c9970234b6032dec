package io.celeriac.test.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import io.celeriac.broker.Broker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.ResultStore;
import io.celeriac.result.ResultWatcher;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskFailedException;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.celery.TaskRun;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerExtensions;
import io.celeriac.worker.WorkerSettings;
import io.celeriac.workflow.ChordCompletion;
import io.celeriac.workflow.ChordJoin;
import io.celeriac.workflow.ChordUnlockJoin;
import io.celeriac.workflow.Signature;
import io.celeriac.workflow.SignaturePublisher;
import io.celeriac.workflow.Workflow;
import io.celeriac.workflow.WorkflowClient;
import io.celeriac.workflow.WorkflowContinuation;
import io.celeriac.workflow.WorkflowSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Workflows across a Java worker (service {@code jflow}) and a Python Celery 5.2.6 worker
 * (service {@code pyservice}) on one broker ({@link #flowBroker RabbitMQ unless a
 * subclass picks another}) and one result backend: chains, link / link_error callbacks,
 * chords and retries inside chains, started from Java and from Python, give the same
 * results and the same {@code parent_id} / {@code root_id} links. Each result backend's
 * test extends it; skipped without Debian's python3-celery.
 *
 * @author Celeriac team
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class WorkflowInteropTests {

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final int CHORD_SIZE = 20;

	private final JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();

	private final CeleryProtocol protocol = new CeleryProtocol(this.mapper);

	private final FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();

	private final TaskRegistry registry = new TaskRegistry();

	private final JavaRuns javaRuns = new JavaRuns();

	private final List<TaskWorker> javaWorkers = new ArrayList<>();

	private @Nullable PythonCelery python;

	private @Nullable FlowBroker flowBroker;

	private @Nullable Broker broker;

	private @Nullable Topology topology;

	private @Nullable CeleryTopology celery;

	private @Nullable PythonCeleryWorker pythonWorker;

	private @Nullable ResultWatcher watcher;

	private @Nullable BrokerTaskClient tasks;

	private @Nullable WorkflowClient workflows;

	/**
	 * Returns the result store the Java side uses.
	 * @return the store
	 */
	protected abstract ResultStore store();

	/**
	 * Returns Python Celery's {@code result_backend} URL for the same data.
	 * @return the URL
	 */
	protected abstract String celeryBackendUrl();

	/**
	 * Returns the chord join of this backend.
	 * @param completion publishes or fails chord bodies
	 * @return the join
	 */
	protected abstract ChordJoin chordJoin(ChordCompletion completion);

	/**
	 * Returns the arguments that give the worker process of {@link FlowWorkerProcess} the
	 * same result store.
	 * @return {@code jdbc <url> <user> <password>} or {@code redis <host> <port>}
	 */
	protected abstract List<String> childStoreArguments();

	/**
	 * Returns whether chords are joined by a {@code celery.chord_unlock} task, which some
	 * worker consuming the {@code celery} queue must run.
	 * @return whether the backend needs one
	 */
	protected abstract boolean joinsWithChordUnlock();

	/**
	 * Returns the broker that both sides use; RabbitMQ unless overridden.
	 * @param rabbit the RabbitMQ server
	 * @param isolation the test class's isolation
	 * @return the broker
	 */
	protected FlowBroker flowBroker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		return FlowBroker.rabbit(rabbit, isolation);
	}

	@BeforeAll
	void start(RabbitEndpoint rabbitEndpoint, ServiceIsolation isolation) throws Exception {
		this.python = PythonCelery.assumeInstalled();
		FlowTasks flowTasks = new FlowTasks();
		for (var method : FlowTasks.class.getDeclaredMethods()) {
			var deferrable = method.getAnnotation(io.celeriac.task.Deferrable.class);
			if (deferrable != null) {
				this.registry.register(new TaskMethod(deferrable.name(), flowTasks, method));
			}
		}
		this.flowBroker = flowBroker(rabbitEndpoint, isolation);
		this.broker = this.flowBroker.broker();
		this.topology = new Topology(isolation.exchange("flow"), isolation.queueNamePrefix(), null,
				Set.of("pyservice", "jflow"), QueueType.CLASSIC, ".error");
		this.topology.bindings().forEach((binding) -> isolation.removeAfterwards(binding.queue()));
		this.topology.errorQueueNames().forEach(isolation::removeAfterwards);
		this.broker.declare(this.topology);
		this.celery = new CeleryTopology(this.flowBroker.celeryUrl(), this.topology.exchange(),
				this.topology.queueNamePrefix(), List.of("pyservice", "jflow"), null, this.flowBroker.celeryDeclares(),
				Map.of(), celeryBackendUrl());
		this.pythonWorker = this.python.startWorker(this.celery, List.of("pyservice"), TIMEOUT);
		startJavaWorker("jflow");
		this.watcher = new ResultWatcher(store());
		this.tasks = new BrokerTaskClient(this.broker, this.topology, this.router, this.protocol, this.watcher);
		SignaturePublisher publisher = publisher();
		this.workflows = new WorkflowClient(publisher,
				chordJoin(new ChordCompletion(publisher, store(), "java@client", 10_000)), this.tasks, 10_000);
	}

	@AfterAll
	void stop() {
		this.javaWorkers.forEach(TaskWorker::stop);
		if (this.pythonWorker != null) {
			this.pythonWorker.close();
		}
		if (this.watcher != null) {
			this.watcher.destroy();
		}
		if (this.flowBroker != null) {
			try {
				this.flowBroker.resources().close();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not close the broker", ex);
			}
		}
	}

	private SignaturePublisher publisher() {
		return new SignaturePublisher(this.broker, this.topology, this.router, this.protocol, List.of());
	}

	private TaskWorker startJavaWorker(String... services) {
		WorkerSettings settings = new WorkerSettings("java@flow", List.of(services), 4, 8, 1 << 20, true,
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		SignaturePublisher publisher = publisher();
		ChordCompletion completion = new ChordCompletion(publisher, store(), settings.name(), 10_000);
		ChordUnlockJoin unlock = new ChordUnlockJoin(completion, store(), WorkflowSettings.defaults(), 10_000);
		WorkflowContinuation continuation = new WorkflowContinuation(publisher, chordJoin(completion), unlock, store(),
				settings.name(), 10_000);
		TaskWorker worker = TaskWorker
			.builder(this.broker, this.registry, this.protocol,
					new ErrorQueue(this.broker, this.topology, settings.name(), settings.confirmTimeout()),
					this.topology, this.router, settings)
			.results(store())
			.extensions(new WorkerExtensions(List.of(this.javaRuns), List.of(), List.of()))
			.workflows(continuation)
			.build();
		worker.start();
		this.javaWorkers.add(worker);
		return worker;
	}

	@Test
	void chainOfJavaAndPythonStepsStartedFromJavaGivesCeleryResultAndLinks() {
		String first = id();
		String second = id();
		String third = id();
		TaskHandle<Integer> last = this.workflows.send(Workflow.chain(Signature.of("jflow.add", 1, 2).withTaskId(first),
				Signature.of("pyservice.add", 3).withTaskId(second), Signature.of("jflow.add", 4).withTaskId(third)),
				Integer.class);
		assertThat(last.id()).isEqualTo(third);
		assertThat(last.await(TIMEOUT)).isEqualTo(10);
		JavaRuns.Run one = single(this.javaRuns.of(first));
		TaskRun two = this.pythonWorker.awaitRun(second, TIMEOUT);
		JavaRuns.Run three = single(this.javaRuns.of(third));
		// as Celery links chain steps (msg-worker-chain.json)
		assertThat(one.parentId()).isNull();
		assertThat(one.rootId()).isEqualTo(first);
		assertThat(two.args()).containsExactly(3, 3);
		assertThat(two.parentId()).isEqualTo(first);
		assertThat(two.rootId()).isEqualTo(first);
		assertThat(three.args().toString()).isEqualTo("[6,4]");
		assertThat(three.parentId()).isEqualTo(second);
		assertThat(three.rootId()).isEqualTo(first);
	}

	@Test
	void chainOfPythonAndJavaStepsStartedFromPythonGivesCeleryResultAndLinks() {
		Map<String, Object> started = this.python.startWorkflow(this.celery,
				Map.of("chain", List.of(sig("pyservice.add", 1, 2), sig("jflow.add", 3), sig("pyservice.add", 4))));
		@SuppressWarnings("unchecked")
		List<String> ids = (List<String>) started.get("ids");
		assertThat(ids).hasSize(3);
		assertThat(this.tasks.handle(ids.get(2), Integer.class).await(TIMEOUT)).isEqualTo(10);
		TaskRun one = this.pythonWorker.awaitRun(ids.get(0), TIMEOUT);
		JavaRuns.Run two = single(this.javaRuns.of(ids.get(1)));
		TaskRun three = this.pythonWorker.awaitRun(ids.get(2), TIMEOUT);
		assertThat(one.parentId()).isNull();
		assertThat(one.rootId()).isEqualTo(ids.get(0));
		assertThat(two.args().toString()).isEqualTo("[3,3]");
		assertThat(two.parentId()).isEqualTo(ids.get(0));
		assertThat(two.rootId()).isEqualTo(ids.get(0));
		assertThat(three.args()).containsExactly(6, 4);
		assertThat(three.parentId()).isEqualTo(ids.get(1));
		assertThat(three.rootId()).isEqualTo(ids.get(0));
	}

	@Test
	void groupOfJavaAndPythonTasksGivesTheResultsInMemberOrder() {
		List<Signature> members = IntStream.range(0, 10)
			.mapToObj((i) -> Signature.of((i % 2 == 0) ? "jflow.add" : "pyservice.add", i, 100))
			.toList();
		TaskHandle<List<Integer>> group = this.workflows.send(Workflow.group(members),
				this.mapper.getTypeFactory().constructCollectionType(List.class, Integer.class));
		assertThat(group.await(TIMEOUT)).containsExactlyElementsOf(IntStream.range(100, 110).boxed().toList());
		assertThat(group.status()).isEqualTo(io.celeriac.result.TaskState.SUCCESS);
	}

	@Test
	void linkAndLinkErrorFireExactlyOnceFromJavaToPython() {
		TaskHandle<Object> succeeds = this.workflows.send(Signature.of("jflow.add", 2, 2)
			.link(Signature.of("pyservice.add", 10))
			.linkError(Signature.of("pyservice.errback")));
		TaskHandle<Object> fails = this.workflows.send(Signature.of("jflow.fail", "boom")
			.link(Signature.of("pyservice.add", 10))
			.linkError(Signature.of("pyservice.errback")));
		assertThat(succeeds.await(TIMEOUT)).isEqualTo(4);
		assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> fails.await(TIMEOUT));
		awaitPythonChild("pyservice.add", succeeds.id());
		awaitPythonChild("pyservice.errback", fails.id());
		drainPython();
		List<TaskRun> callbacks = pythonChildren("pyservice.add", succeeds.id());
		assertThat(callbacks).hasSize(1);
		assertThat(callbacks.get(0).args()).containsExactly(4, 10);
		assertThat(callbacks.get(0).rootId()).isEqualTo(succeeds.id());
		List<TaskRun> errbacks = pythonChildren("pyservice.errback", fails.id());
		assertThat(errbacks).hasSize(1);
		assertThat(errbacks.get(0).args()).containsExactly(fails.id());
		assertThat(pythonChildren("pyservice.errback", succeeds.id())).isEmpty();
		assertThat(pythonChildren("pyservice.add", fails.id())).isEmpty();
	}

	@Test
	void linkAndLinkErrorFireExactlyOnceFromPythonToJava() {
		String succeeds = (String) this.python
			.startWorkflow(this.celery, Map.of("task", sig("pyservice.add", 2, 2), "link", sig("jflow.add", 10),
					"link_error", sig("jflow.errback")))
			.get("id");
		String fails = (String) this.python
			.startWorkflow(this.celery, Map.of("task", sig("pyservice.fail", "boom"), "link", sig("jflow.add", 10),
					"link_error", sig("jflow.errback")))
			.get("id");
		awaitJavaChild("jflow.add", succeeds);
		awaitJavaChild("jflow.errback", fails);
		drainJava();
		List<JavaRuns.Run> callbacks = javaChildren("jflow.add", succeeds);
		assertThat(callbacks).hasSize(1);
		assertThat(callbacks.get(0).args().toString()).isEqualTo("[4,10]");
		assertThat(callbacks.get(0).rootId()).isEqualTo(succeeds);
		List<JavaRuns.Run> errbacks = javaChildren("jflow.errback", fails);
		assertThat(errbacks).hasSize(1);
		assertThat(errbacks.get(0).args().toString()).isEqualTo("[\"" + fails + "\"]");
		assertThat(javaChildren("jflow.errback", succeeds)).isEmpty();
		assertThat(javaChildren("jflow.add", fails)).isEmpty();
	}

	@Test
	void chordOfJavaTasksWithAPythonBodyRunsTheBodyOnceWithResultsInHeaderOrder() throws Exception {
		List<Signature> header = IntStream.range(0, CHORD_SIZE)
			.mapToObj((i) -> Signature.of("jflow.add", i, i))
			.toList();
		// over the database backend a Python worker consuming 'celery' unlocks it
		try (PythonCeleryWorker unlocker = joinsWithChordUnlock()
				? this.python.startWorker(this.celery, List.of("celery"), TIMEOUT) : null) {
			TaskHandle<Integer> body = this.workflows.send(Workflow.chord(header, Signature.of("pyservice.tsum")),
					Integer.class);
			assertThat(body.await(TIMEOUT)).isEqualTo(expectedSum());
			drainPython();
			List<TaskRun> bodyRuns = this.pythonWorker.runs()
				.stream()
				.filter((run) -> run.id().equals(body.id()))
				.toList();
			assertThat(bodyRuns).hasSize(1);
			assertThat(bodyRuns.get(0).args()).containsExactly(expectedResults());
		}
	}

	@Test
	void chordOfPythonTasksWithAJavaBodyRunsTheBodyOnceWithResultsInHeaderOrder() {
		List<Map<String, Object>> header = IntStream.range(0, CHORD_SIZE)
			.mapToObj((i) -> sig("pyservice.add", i, i))
			.toList();
		// over the database backend the Java worker consuming 'celery' unlocks it; the
		// body names its queue, as Celery's fallback_chord_unlock needs with this router
		Map<String, Object> body = new LinkedHashMap<>(sig("jflow.tsum"));
		body.put("options", Map.of("queue", this.topology.queueName("jflow")));
		TaskWorker unlocker = joinsWithChordUnlock() ? startJavaWorker("celery") : null;
		try {
			String bodyId = (String) this.python.startWorkflow(this.celery, Map.of("chord", header, "body", body))
				.get("id");
			assertThat(this.tasks.handle(bodyId, Integer.class).await(TIMEOUT)).isEqualTo(expectedSum());
			drainJava();
			List<JavaRuns.Run> bodyRuns = this.javaRuns.of(bodyId);
			assertThat(bodyRuns).hasSize(1);
			assertThat(bodyRuns.get(0).args()).isEqualTo(this.mapper.valueToTree(List.of(expectedResults())));
		}
		finally {
			if (unlocker != null) {
				unlocker.stop();
				this.javaWorkers.remove(unlocker);
			}
		}
	}

	@Test
	void chordOfPythonTasksWithAJavaBodySurvivesAPythonWorkerKilledDuringTheHeader() {
		List<Map<String, Object>> header = IntStream.range(0, CHORD_SIZE)
			.mapToObj((i) -> sig("pyservice.slow_add", i, i, 0.2))
			.toList();
		Map<String, Object> body = new LinkedHashMap<>(sig("jflow.tsum"));
		body.put("options", Map.of("queue", this.topology.queueName("jflow")));
		TaskWorker unlocker = joinsWithChordUnlock() ? startJavaWorker("celery") : null;
		try {
			Map<String, Object> started = this.python.startWorkflow(this.celery, Map.of("chord", header, "body", body));
			String bodyId = (String) started.get("id");
			@SuppressWarnings("unchecked")
			List<String> members = (List<String>) started.get("header");
			// SIGKILL while a member runs (acks late: it is delivered again), then a new
			// worker
			String running = members.get(CHORD_SIZE / 2);
			org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> this.pythonWorker.run(running).isPresent());
			this.pythonWorker.kill();
			this.pythonWorker.close();
			this.pythonWorker = this.python.startWorker(this.celery, List.of("pyservice"), TIMEOUT);
			assertThat(this.tasks.handle(bodyId, Integer.class).await(TIMEOUT)).isEqualTo(expectedSum());
			// the header was split between the killed worker and the new one
			assertThat(members).anySatisfy((member) -> assertThat(this.pythonWorker.run(member)).isPresent());
			drainJava();
			List<JavaRuns.Run> bodyRuns = this.javaRuns.of(bodyId);
			assertThat(bodyRuns).hasSize(1);
			assertThat(bodyRuns.get(0).args()).isEqualTo(this.mapper.valueToTree(List.of(expectedResults())));
		}
		finally {
			if (unlocker != null) {
				unlocker.stop();
				this.javaWorkers.remove(unlocker);
			}
		}
	}

	@Test
	void chordOfJavaTasksWithAPythonBodySurvivesAJavaWorkerKilledDuringTheHeader() throws Exception {
		List<String> ids = IntStream.range(0, CHORD_SIZE).mapToObj((i) -> id()).toList();
		List<Signature> header = IntStream.range(0, CHORD_SIZE)
			.mapToObj((i) -> Signature.of("jflow.slow_add", i, i, 200).withTaskId(ids.get(i)))
			.toList();
		// the header runs in a worker process of its own (one task at a time), killed
		// halfway
		this.javaWorkers.forEach(TaskWorker::stop);
		Process child = new ProcessBuilder(childCommand()).redirectErrorStream(true).start();
		try (PythonCeleryWorker unlocker = joinsWithChordUnlock()
				? this.python.startWorker(this.celery, List.of("celery"), TIMEOUT) : null) {
			awaitReady(child);
			TaskHandle<Integer> body = this.workflows.send(Workflow.chord(header, Signature.of("pyservice.tsum")),
					Integer.class);
			org.awaitility.Awaitility.await()
				.atMost(TIMEOUT)
				.until(() -> store().find(ids.get(CHORD_SIZE / 2)).isPresent());
			child.destroyForcibly().waitFor();
			assertThat(ids).anySatisfy((member) -> assertThat(store().find(member)).isEmpty());
			// the dead worker's message comes back to the worker of this process
			this.javaWorkers.forEach(TaskWorker::start);
			assertThat(body.await(TIMEOUT)).isEqualTo(expectedSum());
			drainPython();
			List<TaskRun> bodyRuns = this.pythonWorker.runs()
				.stream()
				.filter((run) -> run.id().equals(body.id()))
				.toList();
			assertThat(bodyRuns).hasSize(1);
			assertThat(bodyRuns.get(0).args()).containsExactly(expectedResults());
		}
		finally {
			child.destroyForcibly();
			this.javaWorkers.forEach(TaskWorker::start);
		}
	}

	private List<String> childCommand() {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String javaCommand = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(
				List.of(javaCommand, "-cp", classPath, FlowWorkerProcess.class.getName()));
		command.addAll(this.flowBroker.childArguments());
		command.addAll(List.of(this.topology.exchange(), this.topology.queueNamePrefix()));
		command.addAll(childStoreArguments());
		return command;
	}

	private static void awaitReady(Process child) throws Exception {
		java.io.BufferedReader output = new java.io.BufferedReader(
				new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
		String line;
		while ((line = output.readLine()) != null) {
			if (line.contains("READY")) {
				// keep draining its output so that it never blocks on a full pipe
				Thread drain = new Thread(() -> output.lines().forEach((ignored) -> {
				}));
				drain.setDaemon(true);
				drain.start();
				return;
			}
		}
		throw new IllegalStateException("The worker process ended before it was ready");
	}

	@Test
	void failureInAChordHeaderFailsTheBodyOnceWithAChordError() {
		String failing = id();
		List<Signature> header = List.of(Signature.of("jflow.add", 1, 1),
				Signature.of("jflow.fail", "boom").withTaskId(failing), Signature.of("pyservice.add", 2, 2));
		TaskWorker unlocker = joinsWithChordUnlock() ? startJavaWorker("celery") : null;
		try {
			TaskHandle<Integer> body = this.workflows.send(Workflow.chord(header, Signature.of("pyservice.tsum")),
					Integer.class);
			assertThatExceptionOfType(TaskFailedException.class).isThrownBy(() -> body.await(TIMEOUT))
				.withMessageContaining("ChordError")
				.withMessageContaining("Dependency " + failing + " raised IllegalStateException('boom')");
			drainPython();
			assertThat(this.pythonWorker.runs().stream().filter((run) -> run.id().equals(body.id()))).isEmpty();
		}
		finally {
			if (unlocker != null) {
				unlocker.stop();
				this.javaWorkers.remove(unlocker);
			}
		}
	}

	@Test
	void retriedJavaTaskInsideAChainKeepsItsIdRootAndParentAndTheChainGoesOn() {
		String first = id();
		String second = id();
		String third = id();
		TaskHandle<Integer> last = this.workflows
			.send(Workflow.chain(Signature.of("jflow.flaky", 1, 2).withTaskId(first),
					Signature.of("pyservice.add", 3).withTaskId(second),
					Signature.of("jflow.add", 4).withTaskId(third)), Integer.class);
		assertThat(last.await(TIMEOUT)).isEqualTo(10);
		List<JavaRuns.Run> attempts = this.javaRuns.of(first);
		assertThat(attempts).hasSize(2);
		assertThat(attempts.get(0).retries()).isZero();
		assertThat(attempts.get(0).parentId()).isNull();
		assertThat(attempts.get(1).retries()).isEqualTo(1);
		assertThat(attempts).allSatisfy((attempt) -> assertThat(attempt.rootId()).isEqualTo(first));
		// Celery's retry: parent_id the task's own id
		assertThat(attempts.get(1).parentId()).isEqualTo(first);
		TaskRun two = this.pythonWorker.awaitRun(second, TIMEOUT);
		assertThat(two.args()).containsExactly(3, 3);
		assertThat(two.parentId()).isEqualTo(first);
		assertThat(two.rootId()).isEqualTo(first);
		JavaRuns.Run three = single(this.javaRuns.of(third));
		assertThat(three.parentId()).isEqualTo(second);
		assertThat(three.rootId()).isEqualTo(first);
	}

	@Test
	void retriedPythonTaskInsideAChainKeepsItsIdRootAndParentAndTheChainGoesOn() {
		Map<String, Object> started = this.python.startWorkflow(this.celery,
				Map.of("chain", List.of(sig("pyservice.flaky_add", 1, 2), sig("jflow.add", 3))));
		@SuppressWarnings("unchecked")
		List<String> ids = (List<String>) started.get("ids");
		assertThat(this.tasks.handle(ids.get(1), Integer.class).await(TIMEOUT)).isEqualTo(6);
		List<TaskRun> attempts = this.pythonWorker.runs()
			.stream()
			.filter((run) -> run.id().equals(ids.get(0)))
			.toList();
		assertThat(attempts).extracting(TaskRun::retries).containsExactly(0, 1);
		assertThat(attempts).allSatisfy((attempt) -> assertThat(attempt.rootId()).isEqualTo(ids.get(0)));
		JavaRuns.Run two = single(this.javaRuns.of(ids.get(1)));
		assertThat(two.args().toString()).isEqualTo("[3,3]");
		assertThat(two.parentId()).isEqualTo(ids.get(0));
		assertThat(two.rootId()).isEqualTo(ids.get(0));
	}

	private static int expectedSum() {
		return IntStream.range(0, CHORD_SIZE).map((i) -> 2 * i).sum();
	}

	private static List<Integer> expectedResults() {
		return IntStream.range(0, CHORD_SIZE).mapToObj((i) -> 2 * i).toList();
	}

	private static Map<String, Object> sig(String task, Object... args) {
		Map<String, Object> signature = new LinkedHashMap<>();
		signature.put("task", task);
		signature.put("args", List.of(args));
		return signature;
	}

	private static String id() {
		return UUID.randomUUID().toString();
	}

	private static <T> T single(List<T> runs) {
		assertThat(runs).hasSize(1);
		return runs.get(0);
	}

	private List<TaskRun> pythonChildren(String task, String parentId) {
		return this.pythonWorker.runs()
			.stream()
			.filter((run) -> run.task().equals(task) && parentId.equals(run.parentId()))
			.toList();
	}

	private void awaitPythonChild(String task, String parentId) {
		org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> !pythonChildren(task, parentId).isEmpty());
	}

	private List<JavaRuns.Run> javaChildren(String task, String parentId) {
		return this.javaRuns.named(task).stream().filter((run) -> parentId.equals(run.parentId())).toList();
	}

	private void awaitJavaChild(String task, String parentId) {
		org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> !javaChildren(task, parentId).isEmpty());
	}

	/**
	 * Waits until a task sent now has run on the Python worker, which runs one task at a
	 * time in order: what was published before it has run too.
	 */
	private void drainPython() {
		TaskHandle<Object> marker = this.tasks.send("pyservice.add", List.of(0, 0), Map.of(), TaskOptions.defaults());
		this.pythonWorker.awaitRun(marker.id(), TIMEOUT);
	}

	/**
	 * Waits until a task sent now has run on the Java worker and nothing else is waiting
	 * in its queue.
	 */
	private void drainJava() {
		TaskHandle<Object> marker = this.tasks.send("jflow.add", List.of(0, 0), Map.of(), TaskOptions.defaults());
		marker.await(TIMEOUT);
		org.awaitility.Awaitility.await()
			.atMost(TIMEOUT)
			.until(() -> this.broker.messageCount(this.topology.queueName("jflow")) == 0);
	}

}

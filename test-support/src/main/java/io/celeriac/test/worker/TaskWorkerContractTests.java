package io.celeriac.test.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.ResultStore;
import io.celeriac.workflow.ChordCompletion;
import io.celeriac.workflow.ChordUnlockJoin;
import io.celeriac.workflow.Signature;
import io.celeriac.workflow.SignaturePublisher;
import io.celeriac.workflow.Workflow;
import io.celeriac.workflow.WorkflowClient;
import io.celeriac.workflow.WorkflowSettings;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerExtensions;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract of a {@link TaskWorker} on a broker: a good task runs and its result is
 * recorded; every message it cannot run lands in the error queue, body intact, with the
 * reason in its headers, and a good task sent right after still runs. Each broker's test
 * extends it.
 *
 * @author Celeriac team
 */
public abstract class TaskWorkerContractTests {

	/**
	 * How long a test waits for the worker.
	 */
	protected static final Duration WAIT = Duration.ofSeconds(20);

	private static final long MAX_MESSAGE_SIZE = 4096;

	private final FlakyResultStore results = new FlakyResultStore();

	private final JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();

	private final CeleryProtocol protocol = new CeleryProtocol(this.mapper);

	private final SampleTasks tasks = new SampleTasks();

	private @Nullable Topology topology;

	private @Nullable TaskWorker worker;

	private @Nullable TaskRegistry registry;

	private @Nullable ResultWatcher watcher;

	private @Nullable TaskClient client;

	/**
	 * Returns the broker under test.
	 * @return the broker
	 */
	protected abstract Broker broker();

	/**
	 * Returns a topology that no other test uses: an exchange and a queue-name prefix of
	 * its own, with the given services. The test class removes what it names afterwards.
	 * @param services the services
	 * @return the topology, not yet declared
	 */
	protected abstract Topology newTopology(String... services);

	/**
	 * Returns a {@link #newTopology new topology}, declared on the broker.
	 * @param services the services
	 * @return the topology
	 */
	private Topology declaredTopology(String... services) {
		Topology topology = newTopology(services);
		broker().declare(topology);
		return topology;
	}

	@BeforeEach
	void startWorker() throws NoSuchMethodException {
		Topology topology = declaredTopology("sample");
		TaskRegistry registry = new TaskRegistry();
		registry.register(
				new TaskMethod("sample.add", this.tasks, SampleTasks.class.getMethod("add", int.class, int.class)));
		registry.register(new TaskMethod("sample.fail", this.tasks, SampleTasks.class.getMethod("fail", String.class)));
		registry.register(new TaskMethod("sample.concat", this.tasks,
				SampleTasks.class.getMethod("concat", List.class, String.class)));
		this.registry = registry;
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		this.worker = newWorker(topology, WorkerSettings.DEFAULT_MAX_DELIVERIES);
		this.watcher = new ResultWatcher(this.results);
		this.client = new BrokerTaskClient(broker(), topology, router, this.protocol, this.watcher);
		this.topology = topology;
		this.worker.start();
	}

	private TaskWorker newWorker(Topology topology, int maxDeliveries) {
		assertThat(this.registry).isNotNull();
		WorkerSettings settings = new WorkerSettings("contract@test", List.of("sample"), 2, 5, MAX_MESSAGE_SIZE, true,
				Duration.ofSeconds(5), Duration.ofSeconds(10), maxDeliveries);
		ErrorQueue errorQueue = new ErrorQueue(broker(), topology, settings.name(), settings.confirmTimeout());
		return TaskWorker
			.builder(broker(), this.registry, this.protocol, errorQueue, topology, new FirstSegmentTaskRouter(),
					settings)
			.results(this.results)
			.build();
	}

	/**
	 * Tells whether the broker counts the deliveries of a message on the topologies of
	 * {@link #newTopology(String...)}, so that the worker can bound them.
	 * @return {@code true} by default
	 */
	protected boolean countsDeliveries() {
		return true;
	}

	@AfterEach
	void stopWorker() {
		if (this.worker != null) {
			this.worker.stop();
		}
		if (this.watcher != null) {
			this.watcher.destroy();
		}
	}

	@Test
	void aGoodTaskRunsAndItsResultIsRecorded() {
		TaskHandle<Integer> handle = client().send("sample.add", List.of(2, 3), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(5);
		TaskResult result = this.results.find(handle.id()).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(result.name()).isEqualTo("sample.add");
		assertThat(result.worker()).isEqualTo("contract@test");
		assertThat(result.queue()).isEqualTo("sample");
		await().atMost(WAIT).until(() -> broker().messageCount(queue()) == 0);
	}

	@Test
	void anOutcomeThatCannotBeRecordedGoesBackToTheQueueAndIsNotLost() {
		this.results.failures.set(2);
		TaskHandle<Integer> handle = client().send("sample.add", List.of(1, 1), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(2);
		assertThat(this.results.failures.get()).isZero();
	}

	@Test
	void aWorkerDoesNotStartWithoutItsErrorQueue() throws NoSuchMethodException {
		Topology declared = declaredTopology("other");
		Topology expected = new Topology(declared.exchange(), declared.queueNamePrefix(), declared.monitorQueue(),
				declared.services(), declared.queueType(), ".missing");
		TaskRegistry registry = new TaskRegistry();
		WorkerSettings settings = new WorkerSettings("strict@test", List.of("other"), 1, 1, MAX_MESSAGE_SIZE, false,
				Duration.ofSeconds(1), Duration.ofSeconds(1));
		TaskWorker strict = TaskWorker
			.builder(broker(), registry, this.protocol,
					new ErrorQueue(broker(), expected, settings.name(), settings.confirmTimeout()), expected,
					new FirstSegmentTaskRouter(), settings)
			.build();
		org.assertj.core.api.Assertions.assertThatIllegalStateException()
			.isThrownBy(strict::start)
			.withMessageContaining(declared.queueName("other") + ".missing")
			.withMessageContaining("does not exist");
		assertThat(strict.isRunning()).isFalse();
	}

	@Test
	void keywordAndGenericArgumentsReachTheMethod() {
		TaskHandle<String> handle = client().send("sample.concat", List.of(List.of("a", "b")), Map.of("separator", "+"),
				TaskOptions.defaults(), String.class);
		assertThat(handle.await(WAIT)).isEqualTo("a+b");
	}

	@Test
	void aBodyThatIsNotJsonGoesToTheErrorQueue() {
		assertMovedToErrorQueue(raw("sample.add", "{not json"), ErrorKind.BODY_NOT_JSON, "Body is not JSON");
	}

	@Test
	void aBodyThatIsNotTheProtocolTripleGoesToTheErrorQueue() {
		assertMovedToErrorQueue(raw("sample.add", "{\"args\": [2, 3]}"), ErrorKind.BODY_NOT_PROTOCOL_V2,
				"[args, kwargs, embed]");
	}

	@Test
	void aMessageWithoutTaskHeaderGoesToTheErrorQueue() {
		WireMessage message = raw("sample.add", "[[2, 3], {}, {}]");
		Map<String, @Nullable Object> headers = new LinkedHashMap<>(message.headers());
		headers.remove("task");
		assertMovedToErrorQueue(withHeaders(message, headers), ErrorKind.MISSING_HEADER, "'task'");
	}

	@Test
	void aMessageWithoutIdHeaderGoesToTheErrorQueue() {
		WireMessage message = raw("sample.add", "[[2, 3], {}, {}]");
		Map<String, @Nullable Object> headers = new LinkedHashMap<>(message.headers());
		headers.remove("id");
		assertMovedToErrorQueue(withHeaders(message, headers), ErrorKind.MISSING_HEADER, "'id'");
	}

	@Test
	void anUnknownTaskGoesToTheErrorQueueAndIsRecordedAsFailed() {
		WireMessage message = raw("sample.nonexistent", "[[], {}, {}]");
		assertMovedToErrorQueue(message, ErrorKind.UNKNOWN_TASK, "No task named 'sample.nonexistent'");
		TaskResult result = this.results.find(message.correlationId()).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThat(result.failure().exceptionType()).isEqualTo("NotRegistered");
	}

	@Test
	void anUnknownTaskNamingAFinishedTasksIdDoesNotReplaceItsResult() {
		TaskHandle<Integer> finished = client().send("sample.add", List.of(2, 3), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(finished.await(WAIT)).isEqualTo(5);
		// anyone who can publish chooses the id: here, the finished task's
		assertMovedToErrorQueue(raw("sample.nonexistent", "[[], {}, {}]", finished.id()), ErrorKind.UNKNOWN_TASK,
				"No task named 'sample.nonexistent'");
		TaskResult result = this.results.find(finished.id()).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.SUCCESS);
		assertThat(result.value()).hasToString("5");
		assertThat(result.name()).isEqualTo("sample.add");
	}

	@Test
	void argumentsThatDoNotFitGoToTheErrorQueue() {
		WireMessage message = raw("sample.add", "[[2, \"three\"], {}, {}]");
		assertMovedToErrorQueue(message, ErrorKind.ARGUMENTS_MISMATCH, "Argument 2");
		assertThat(this.results.find(message.correlationId()).orElseThrow().failure().exceptionType())
			.isEqualTo("TypeError");
	}

	@Test
	void tooManyArgumentsGoToTheErrorQueue() {
		assertMovedToErrorQueue(raw("sample.add", "[[1, 2, 3], {}, {}]"), ErrorKind.ARGUMENTS_MISMATCH,
				"takes 2 argument(s)");
	}

	@Test
	void aMessageOverTheSizeLimitGoesToTheErrorQueue() {
		String big = "x".repeat((int) MAX_MESSAGE_SIZE);
		assertMovedToErrorQueue(raw("sample.fail", "[[\"" + big + "\"], {}, {}]"), ErrorKind.MESSAGE_TOO_LARGE,
				"over the limit of " + MAX_MESSAGE_SIZE + " bytes");
		assertThat(this.tasks.failures.get()).isZero();
	}

	@Test
	void aPickledMessageGoesToTheErrorQueue() {
		WireMessage message = raw("sample.add", "[[2, 3], {}, {}]");
		WireMessage pickled = new WireMessage(message.body(), "application/x-python-serialize", "binary",
				message.headers(), message.correlationId(), message.replyTo(), 0, true, null);
		assertMovedToErrorQueue(pickled, ErrorKind.UNSUPPORTED_CONTENT_TYPE, "application/x-python-serialize");
	}

	@Test
	void aTaskThatThrowsGoesToTheErrorQueueWithItsException() {
		WireMessage message = raw("sample.fail", "[[\"boom\"], {}, {}]");
		Delivery moved = assertMovedToErrorQueue(message, ErrorKind.TASK_FAILED, "boom");
		assertThat(moved.message().headers().get(ErrorHeaders.EXCEPTION))
			.hasToString(IllegalStateException.class.getName());
		assertThat(String.valueOf(moved.message().headers().get(ErrorHeaders.STACK_TRACE)))
			.contains("SampleTasks.fail");
		TaskResult result = this.results.find(message.correlationId()).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThat(result.failure().exceptionType()).isEqualTo("IllegalStateException");
		assertThat(result.failure().message()).isEqualTo("boom");
	}

	@Test
	void stoppingLetsAShortTaskFinishAndHandsAnInterruptedLongOneToAnotherWorker() throws Exception {
		Topology topology = declaredTopology("stopping");
		StoppingTasks stopping = new StoppingTasks();
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("stopping.short", stopping, StoppingTasks.class.getMethod("quick")));
		registry.register(new TaskMethod("stopping.long", stopping, StoppingTasks.class.getMethod("slow")));
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		TaskClient client = new BrokerTaskClient(broker(), topology, router, this.protocol, watcher());
		TaskWorker first = stoppingWorker(topology, registry, router, "first@test");
		first.start();
		TaskHandle<String> slow = client.send("stopping.long", List.of(), Map.of(), TaskOptions.defaults(),
				String.class);
		TaskHandle<String> quick = client.send("stopping.short", List.of(), Map.of(), TaskOptions.defaults(),
				String.class);
		await().atMost(WAIT).until(() -> stopping.quickStarted.get() == 1 && stopping.slowStarted.get() == 1);
		Thread stopper = new Thread(first::stop, "contract-stopper");
		stopper.start();
		// the short task finishes while the worker stops, well within its timeout
		stopping.releaseQuick.countDown();
		stopper.join(WAIT.toMillis());
		assertThat(stopper.isAlive()).isFalse();
		assertThat(first.isRunning()).isFalse();
		assertThat(quick.await(WAIT)).isEqualTo("quick");
		assertThat(stopping.quickCompleted.get()).isEqualTo(1);
		await().atMost(WAIT).until(() -> stopping.slowInterrupted.get() == 1);
		assertThat(stopping.slowCompleted.get()).isZero();
		assertThat(this.results.find(slow.id()).map(TaskResult::state)).isNotEqualTo(Optional.of(TaskState.FAILURE));
		// a first worker that were still running the long task would complete it now
		stopping.releaseSlow.countDown();
		TaskWorker second = stoppingWorker(topology, registry, router, "second@test");
		second.start();
		try {
			assertThat(slow.await(WAIT)).isEqualTo("slow");
			String queue = topology.queueName("stopping");
			await().atMost(WAIT).until(() -> broker().messageCount(queue) == 0);
			assertThat(stopping.slowCompleted.get()).isEqualTo(1);
			assertThat(stopping.slowStarted.get()).isEqualTo(2);
			assertThat(stopping.quickStarted.get()).isEqualTo(1);
			assertThat(stopping.quickCompleted.get()).isEqualTo(1);
			assertThat(this.results.find(slow.id()).orElseThrow().worker()).isEqualTo("second@test");
			assertThat(broker().messageCount(topology.errorQueueName(queue))).isZero();
		}
		finally {
			second.stop();
		}
	}

	private TaskWorker stoppingWorker(Topology topology, TaskRegistry registry, FirstSegmentTaskRouter router,
			String name) {
		WorkerSettings settings = new WorkerSettings(name, List.of("stopping"), 2, 1, MAX_MESSAGE_SIZE, true,
				Duration.ofSeconds(1), Duration.ofSeconds(10));
		ErrorQueue errorQueue = new ErrorQueue(broker(), topology, name, settings.confirmTimeout());
		return TaskWorker.builder(broker(), registry, this.protocol, errorQueue, topology, router, settings)
			.results(this.results)
			.build();
	}

	private ResultWatcher watcher() {
		assertThat(this.watcher).isNotNull();
		return this.watcher;
	}

	@Test
	void aMessageDeliveredMoreThanTheLimitGoesToTheErrorQueueWithoutRunning() {
		assumeTrue(countsDeliveries(), "the broker does not count deliveries on these queues");
		worker().stop();
		WireMessage poison = raw("sample.fail", "[[\"poison\"], {}, {}]");
		broker().publish(topology().exchange(), "sample", poison).join();
		int limit = 3;
		for (int i = 0; i < limit; i++) {
			// each delivery given back unsettled, as when the worker holding it dies
			take(queue()).reject(true);
		}
		this.worker = newWorker(topology(), limit);
		this.worker.start();
		assertInErrorQueue(poison, ErrorKind.DELIVERY_LIMIT,
				"Delivered " + limit + " times without completing (the limit is " + limit + ")");
		assertThat(this.tasks.failures.get()).isZero();
		TaskResult result = this.results.find(poison.correlationId()).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThat(result.failure().exceptionType()).isEqualTo("WorkerLostError");
	}

	@Test
	void aMessageDeliveredUpToTheLimitStillRuns() {
		assumeTrue(countsDeliveries(), "the broker does not count deliveries on these queues");
		worker().stop();
		WireMessage message = raw("sample.add", "[[2, 3], {}, {}]");
		broker().publish(topology().exchange(), "sample", message).join();
		int limit = 3;
		for (int i = 0; i < limit - 1; i++) {
			take(queue()).reject(true);
		}
		this.worker = newWorker(topology(), limit);
		this.worker.start();
		await().atMost(WAIT)
			.until(() -> this.results.find(message.correlationId())
				.filter((result) -> result.state() == TaskState.SUCCESS)
				.isPresent());
		await().atMost(WAIT).until(() -> broker().messageCount(queue()) == 0);
		assertThat(broker().messageCount(topology().errorQueueName(queue()))).isZero();
	}

	@Test
	void aFinishedTaskIsNotRunAgainWhileItsOutcomeCannotBeWrittenAndTheWorkerTakesNothingNew() throws Exception {
		OutcomeFixtures.SwitchableResultStore store = new OutcomeFixtures.SwitchableResultStore();
		OutcomeFixtures.OutcomeTasks tasks = new OutcomeFixtures.OutcomeTasks();
		Topology topology = declaredTopology("outage");
		store.down = true;
		try (OutcomeWorker worker = new OutcomeWorker(topology, tasks, store, 3)) {
			List<String> ids = new java.util.ArrayList<>();
			for (int i = 0; i < 12; i++) {
				ids.add(worker.client.send("outage.count", List.of(i), Map.of(), TaskOptions.defaults(), Integer.class)
					.id());
			}
			await().atMost(WAIT).until(() -> worker.worker.outcomes().paused());
			// the worker keeps trying to write the outcomes it holds...
			int refused = store.refused.get();
			await().atMost(WAIT).until(() -> store.refused.get() >= refused + 2);
			int ran = tasks.runs();
			// ...and takes no new task meanwhile: at most the bound plus the slots ran
			assertThat(ran).isBetween(1, 3 + 2);
			assertThat(worker.worker.outcomes().pending()).isPositive();
			int refusedLater = store.refused.get();
			await().atMost(WAIT).until(() -> store.refused.get() >= refusedLater + 2);
			assertThat(tasks.runs()).isEqualTo(ran);
			assertThat(worker.worker.outcomes().paused()).isTrue();
			store.down = false;
			await().atMost(WAIT)
				.until(() -> ids.stream()
					.allMatch((id) -> store.find(id).filter((r) -> r.state() == TaskState.SUCCESS).isPresent()));
			await().atMost(WAIT).until(() -> broker().messageCount(topology.queueName("outage")) == 0);
			// every body ran exactly once: none ran again because its outcome was not
			// written
			assertThat(tasks.counted).hasSize(12);
			assertThat(tasks.counted.values()).allMatch((runs) -> runs.get() == 1);
			assertThat(worker.worker.outcomes().paused()).isFalse();
			await().atMost(WAIT).until(() -> worker.worker.outcomes().pending() == 0);
		}
	}

	@Test
	void aRetryWhoseStateCannotBeRecordedYetIsPublishedOnceForItsAttempt() throws Exception {
		OutcomeFixtures.SwitchableResultStore store = new OutcomeFixtures.SwitchableResultStore();
		OutcomeFixtures.OutcomeTasks tasks = new OutcomeFixtures.OutcomeTasks();
		Topology topology = declaredTopology("outage");
		String queue = topology.queueName("outage");
		store.down = true;
		try (OutcomeWorker worker = new OutcomeWorker(topology, tasks, store, 3)) {
			String id = worker.client
				.send("outage.flaky", List.of("done"), Map.of(), TaskOptions.defaults(), String.class)
				.id();
			await().atMost(WAIT).until(() -> tasks.flakyRuns.get() == 1 && worker.worker.outcomes().paused());
			int refused = store.refused.get();
			await().atMost(WAIT).until(() -> store.refused.get() >= refused + 2);
			// RETRY is not recorded, so no retry is published yet, and the attempt is not
			// run again
			assertThat(tasks.flakyRuns.get()).isEqualTo(1);
			assertThat(broker().messageCount(queue)).isZero();
			store.down = false;
			await().atMost(WAIT).until(() -> store.find(id).filter((r) -> r.state() == TaskState.SUCCESS).isPresent());
			await().atMost(WAIT)
				.until(() -> broker().messageCount(queue) == 0 && worker.worker.outcomes().pending() == 0);
			// one run per attempt: a second retry message would have run a third time
			assertThat(tasks.flakyRuns.get()).isEqualTo(2);
			assertThat(store.history(id)).containsExactly(TaskState.RETRY, TaskState.SUCCESS);
		}
	}

	@Test
	void aWorkerThatStopsWithAnOutcomeUnwrittenLetsItsMessageGoAndDoesNothingMoreForIt() throws Exception {
		OutcomeFixtures.SwitchableResultStore store = new OutcomeFixtures.SwitchableResultStore();
		OutcomeFixtures.OutcomeTasks tasks = new OutcomeFixtures.OutcomeTasks();
		Topology topology = declaredTopology("outage");
		String queue = topology.queueName("outage");
		store.down = true;
		OutcomeWorker worker = new OutcomeWorker(topology, tasks, store, 3);
		try {
			String id = worker.client
				.send("outage.flaky", List.of("done"), Map.of(), TaskOptions.defaults(), String.class)
				.id();
			await().atMost(WAIT).until(() -> tasks.flakyRuns.get() == 1 && worker.worker.outcomes().paused());
			// the RETRY it holds cannot be written within the shutdown timeout: the
			// message
			// goes back to the broker unacknowledged, to run again elsewhere
			worker.worker.stop();
			await().atMost(WAIT).until(() -> broker().messageCount(queue) == 1);
			store.down = false;
			// the stopped worker neither writes the RETRY it let go nor publishes its
			// retry
			// once the store answers (its retries would come within 5 s)
			await().during(Duration.ofSeconds(6))
				.atMost(Duration.ofSeconds(10))
				.until(() -> broker().messageCount(queue) == 1 && store.history(id).isEmpty());
			assertThat(tasks.flakyRuns.get()).isEqualTo(1);
		}
		finally {
			worker.results.destroy();
		}
	}

	@Test
	void cancellingAQueueLetsItsTasksInFlightFinishAndRecordTheirOutcomesBeforeItsConsumerCloses() throws Exception {
		Topology topology = declaredTopology("outage");
		assertCancellingSettlesTheTasksInFlight(topology, "outage", Topology.CELERY_QUEUE, false);
	}

	@Test
	void cancellingAnAddedQueueLetsItsTasksInFlightFinishAndRecordTheirOutcomesBeforeItsConsumerCloses()
			throws Exception {
		Topology topology = declaredTopology("outage", "extra");
		assertCancellingSettlesTheTasksInFlight(topology, "extra", "outage", true);
	}

	/**
	 * Cancels a queue while one of its tasks runs, finished ones wait for a slow result
	 * store and more wait unstarted, then checks that the cancel returned only once what
	 * ran was recorded and acknowledged, that the other queues are still consumed, and,
	 * once the queue is consumed again, that every task ran exactly once.
	 */
	private void assertCancellingSettlesTheTasksInFlight(Topology topology, String service, String otherService,
			boolean added) throws Exception {
		OutcomeFixtures.SwitchableResultStore store = new OutcomeFixtures.SwitchableResultStore();
		store.writeDelayMillis = 1000;
		OutcomeFixtures.OutcomeTasks tasks = new OutcomeFixtures.OutcomeTasks();
		String queue = topology.queueName(service);
		TaskOptions toQueue = TaskOptions.defaults().withRoutingKey(service);
		try (OutcomeWorker worker = new OutcomeWorker(topology, tasks, store, 3)) {
			if (added) {
				assertThat(worker.worker.addQueue(queue)).isTrue();
			}
			TaskHandle<String> held = worker.client.send("outage.held", List.of(), Map.of(), toQueue, String.class);
			Map<Integer, String> ids = new LinkedHashMap<>();
			for (int i = 0; i < 8; i++) {
				ids.put(i, worker.client.send("outage.count", List.of(i), Map.of(), toQueue, Integer.class).id());
			}
			await().atMost(WAIT).until(() -> tasks.heldRuns.get() == 1 && tasks.runs() >= 2);
			Thread canceller = new Thread(() -> worker.worker.cancelQueue(queue), "contract-canceller");
			canceller.start();
			tasks.releaseHeld.countDown();
			canceller.join(WAIT.toMillis());
			assertThat(canceller.isAlive()).isFalse();
			assertThat(worker.worker.consumedQueues()).doesNotContain(queue).contains(topology.queueName(otherService));
			// the consumer closed only once what ran from it was recorded and
			// acknowledged
			assertThat(store.find(held.id()).map(TaskResult::state)).contains(TaskState.SUCCESS);
			tasks.counted.keySet()
				.forEach((number) -> assertThat(store.find(ids.get(number)).map(TaskResult::state))
					.contains(TaskState.SUCCESS));
			assertThat(worker.worker.outcomes().pending()).isZero();
			assertThat(tasks.runs()).isLessThan(8);
			// the other queues are still consumed
			TaskHandle<Integer> other = worker.client.send("outage.count", List.of(100), Map.of(),
					TaskOptions.defaults().withRoutingKey(otherService), Integer.class);
			assertThat(other.await(WAIT)).isEqualTo(100);
			// consumed again, the queue gives the unstarted tasks; none runs twice
			assertThat(worker.worker.addQueue(queue)).isTrue();
			await().atMost(WAIT)
				.until(() -> ids.values()
					.stream()
					.allMatch((id) -> store.find(id).filter((r) -> r.state() == TaskState.SUCCESS).isPresent()));
			await().atMost(WAIT)
				.until(() -> broker().messageCount(queue) == 0 && worker.worker.outcomes().pending() == 0);
			assertThat(tasks.counted).hasSize(9);
			assertThat(tasks.counted.values()).allMatch((runs) -> runs.get() == 1);
			assertThat(tasks.heldRuns).hasValue(1);
		}
	}

	@Test
	void aSiblingQueuesTaskInterruptedWhenACancelEndsGoesBackToItsQueueEvenWhenItUnwindsAfterTheQueueIsConsumedAgain()
			throws Exception {
		OutcomeFixtures.SwitchableResultStore store = new OutcomeFixtures.SwitchableResultStore();
		OutcomeFixtures.OutcomeTasks tasks = new OutcomeFixtures.OutcomeTasks();
		Topology topology = declaredTopology("outage");
		String sibling = topology.queueName("outage");
		String cancelled = topology.queueName(Topology.CELERY_QUEUE);
		try (OutcomeWorker worker = new OutcomeWorker(topology, tasks, store, 3, Duration.ofSeconds(1))) {
			String failing = worker.client
				.send("outage.blocksOnce", List.of("failing"), Map.of(), TaskOptions.defaults(), String.class)
				.id();
			String retrying = worker.client
				.send("outage.blocksOnceAndRetriesWhenInterrupted", List.of("retrying"), Map.of(),
						TaskOptions.defaults(), String.class)
				.id();
			await().atMost(WAIT).until(() -> tasks.blockingRuns.size() == 2);
			// the configured queues share one consumer: cancelling celery drains outage
			// too, interrupts what still runs from it at the shutdown timeout, then
			// consumes outage again
			Thread canceller = new Thread(() -> worker.worker.cancelQueue(cancelled), "contract-canceller");
			canceller.start();
			canceller.join(WAIT.multipliedBy(2).toMillis());
			assertThat(canceller.isAlive()).isFalse();
			assertThat(worker.worker.consumedQueues()).containsExactly(sibling);
			await().atMost(WAIT).until(() -> tasks.blockingInterrupted.get() == 2);
			// only now, their queue consumed again, do the interrupted tasks unwind: they
			// were let go all the same
			tasks.unwind.countDown();
			await().atMost(WAIT).until(() -> worker.notSucceeded.containsAll(List.of(failing, retrying)));
			// given back, neither failed nor retried
			assertThat(store.history(failing)).doesNotContain(TaskState.FAILURE, TaskState.RETRY);
			assertThat(store.history(retrying)).doesNotContain(TaskState.FAILURE, TaskState.RETRY);
			assertThat(broker().messageCount(topology.errorQueueName(sibling))).isZero();
			// run again from their queue, they succeed, each once more
			await().atMost(WAIT)
				.until(() -> List.of(failing, retrying)
					.stream()
					.allMatch((id) -> store.find(id).filter((r) -> r.state() == TaskState.SUCCESS).isPresent()));
			await().atMost(WAIT)
				.until(() -> broker().messageCount(sibling) == 0 && worker.worker.outcomes().pending() == 0);
			assertThat(store.history(failing)).containsExactly(TaskState.SUCCESS);
			assertThat(store.history(retrying)).containsExactly(TaskState.SUCCESS);
			assertThat(tasks.blockingRuns.get("failing")).hasValue(2);
			assertThat(tasks.blockingRuns.get("retrying")).hasValue(2);
			assertThat(broker().messageCount(topology.errorQueueName(sibling))).isZero();
		}
	}

	@Test
	void aChordAndARetryKeepTheirOrderWhileOutcomesArePipelined() throws Exception {
		OutcomeFixtures.SwitchableResultStore store = new OutcomeFixtures.SwitchableResultStore();
		store.writeDelayMillis = 20;
		OutcomeFixtures.OutcomeTasks tasks = new OutcomeFixtures.OutcomeTasks();
		Topology topology = declaredTopology("outage");
		try (OutcomeWorker worker = new OutcomeWorker(topology, tasks, store, 5)) {
			tasks.store = worker.results;
			TaskHandle<String> retried = worker.client.send("outage.readsItsState", List.of(), Map.of(),
					TaskOptions.defaults(), String.class);
			SignaturePublisher publisher = new SignaturePublisher(broker(), topology, new FirstSegmentTaskRouter(),
					this.protocol, List.of());
			ChordUnlockJoin join = new ChordUnlockJoin(
					new ChordCompletion(publisher, worker.results, "client@test", 10_000), worker.results,
					WorkflowSettings.defaults(), 10_000);
			WorkflowClient workflows = new WorkflowClient(publisher, join, worker.client, 10_000);
			List<Signature> header = new java.util.ArrayList<>();
			for (int i = 1; i <= 4; i++) {
				header.add(Signature.of("outage.member", i));
			}
			TaskHandle<Integer> total = workflows.send(
					Workflow.chord(header, Signature.of("outage.total").withQueue(topology.queueName("outage"))),
					Integer.class);
			assertThat(total.await(WAIT)).isEqualTo(10);
			assertThat(tasks.membersRecordedWhenBodyRan.get()).isEqualTo(4L);
			assertThat(retried.await(WAIT)).isEqualTo("retried");
			assertThat(tasks.stateSeenByRetry.get()).isEqualTo(TaskState.RETRY);
			assertThat(tasks.stateReaderRuns.get()).isEqualTo(2);
		}
	}

	/**
	 * A worker of the outcome tests, with a batching store over the given one, so that
	 * outcomes wait for their batch as they do in production.
	 */
	private final class OutcomeWorker implements AutoCloseable {

		final BatchingResultStore results;

		final TaskWorker worker;

		final TaskClient client;

		/**
		 * The ids of the tasks whose run ended given back, retried or failed, each once
		 * that was recorded and published.
		 */
		final Set<String> notSucceeded = ConcurrentHashMap.newKeySet();

		OutcomeWorker(Topology topology, OutcomeFixtures.OutcomeTasks tasks, ResultStore store, int pendingOutcomes)
				throws NoSuchMethodException {
			this(topology, tasks, store, pendingOutcomes, Duration.ofSeconds(5));
		}

		OutcomeWorker(Topology topology, OutcomeFixtures.OutcomeTasks tasks, ResultStore store, int pendingOutcomes,
				Duration shutdownTimeout) throws NoSuchMethodException {
			TaskRegistry registry = new TaskRegistry();
			for (java.lang.reflect.Method method : OutcomeFixtures.OutcomeTasks.class.getDeclaredMethods()) {
				if (java.lang.reflect.Modifier.isPublic(method.getModifiers())) {
					registry.register(new TaskMethod("outage." + method.getName(), tasks, method));
				}
			}
			this.results = new BatchingResultStore(store, 16, Duration.ofSeconds(5));
			// and celery, where a chord's celery.chord_unlock goes
			WorkerSettings settings = new WorkerSettings("contract@test", List.of("outage", Topology.CELERY_QUEUE), 2,
					5, MAX_MESSAGE_SIZE, false, shutdownTimeout, Duration.ofSeconds(10));
			this.worker = TaskWorker
				.builder(broker(), registry, TaskWorkerContractTests.this.protocol,
						new ErrorQueue(broker(), topology, settings.name(), settings.confirmTimeout()), topology,
						new FirstSegmentTaskRouter(), settings)
				.results(this.results)
				.pendingOutcomes(pendingOutcomes)
				.extensions(new WorkerExtensions(List.of(new TaskLifecycleListener() {

					@Override
					public void onReject(String taskId, @Nullable TaskMessage task, boolean requeue) {
						OutcomeWorker.this.notSucceeded.add(taskId);
					}

					@Override
					public void onRetry(TaskMessage task, Throwable exception, Duration delay) {
						OutcomeWorker.this.notSucceeded.add(task.id());
					}

					@Override
					public void onError(TaskMessage task, @Nullable Throwable exception) {
						OutcomeWorker.this.notSucceeded.add(task.id());
					}

				}), List.of(), List.of()))
				.build();
			this.client = new BrokerTaskClient(broker(), topology, new FirstSegmentTaskRouter(),
					TaskWorkerContractTests.this.protocol, new ResultWatcher(this.results));
			this.worker.start();
		}

		@Override
		public void close() throws InterruptedException {
			this.worker.stop();
			this.results.destroy();
		}

	}

	private Delivery take(String queue) {
		Delivery[] found = new Delivery[1];
		await().atMost(WAIT).until(() -> (found[0] = broker().get(queue)) != null);
		return found[0];
	}

	/**
	 * Publishes a message, waits for it in the error queue, checks the reason and that
	 * the body is intact, then checks that a good task still runs.
	 * @param message the bad message
	 * @param kind the expected kind
	 * @param reasonFragment text the reason must contain
	 * @return the error queue's delivery, acknowledged
	 */
	protected Delivery assertMovedToErrorQueue(WireMessage message, ErrorKind kind, String reasonFragment) {
		broker().publish(topology().exchange(), "sample", message).join();
		return assertInErrorQueue(message, kind, reasonFragment);
	}

	/**
	 * Waits for a message in the error queue, checks the reason and that the body is
	 * intact, then checks that a good task still runs.
	 * @param message the bad message, already published
	 * @param kind the expected kind
	 * @param reasonFragment text the reason must contain
	 * @return the error queue's delivery, acknowledged
	 */
	protected Delivery assertInErrorQueue(WireMessage message, ErrorKind kind, String reasonFragment) {
		Topology topology = topology();
		String errorQueue = topology.errorQueueName(queue());
		Delivery[] found = new Delivery[1];
		await().atMost(WAIT).until(() -> (found[0] = broker().get(errorQueue)) != null);
		Delivery moved = found[0];
		Map<String, @Nullable Object> headers = moved.message().headers();
		assertThat(headers.get(ErrorHeaders.KIND)).hasToString(kind.name());
		assertThat(String.valueOf(headers.get(ErrorHeaders.REASON))).contains(reasonFragment);
		assertThat(headers.get(ErrorHeaders.QUEUE)).hasToString(queue());
		assertThat(headers.get(ErrorHeaders.WORKER)).hasToString("contract@test");
		assertThat(moved.message().body()).isEqualTo(message.body());
		assertThat(moved.message().contentType()).isEqualTo(message.contentType());
		message.headers().forEach((name, value) -> assertThat(headers).containsKey(name));
		moved.ack();
		TaskHandle<Integer> next = client().send("sample.add", List.of(20, 22), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(next.await(WAIT)).isEqualTo(42);
		await().atMost(WAIT).until(() -> broker().messageCount(queue()) == 0);
		return moved;
	}

	/**
	 * Builds a task message as Celery would send it, with the given body text.
	 * @param task the task name
	 * @param body the body text
	 * @return the message
	 */
	protected WireMessage raw(String task, String body) {
		return raw(task, body, java.util.UUID.randomUUID().toString());
	}

	private WireMessage raw(String task, String body, String id) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", task);
		headers.put("id", id);
		headers.put("retries", 0);
		headers.put("root_id", id);
		headers.put("parent_id", null);
		headers.put("argsrepr", "");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "gen1@test");
		headers.put("ignore_result", false);
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers, id, "reply",
				0, true, null);
	}

	private static WireMessage withHeaders(WireMessage message, Map<String, @Nullable Object> headers) {
		return new WireMessage(message.body(), message.contentType(), message.contentEncoding(), headers,
				message.correlationId(), message.replyTo(), message.priority(), true, null);
	}

	/**
	 * Returns the queue the worker consumes.
	 * @return the queue's name
	 */
	protected String queue() {
		return topology().queueName("sample");
	}

	/**
	 * Returns the topology the worker runs on.
	 * @return the topology, declared
	 */
	protected Topology topology() {
		assertThat(this.topology).isNotNull();
		return this.topology;
	}

	private TaskWorker worker() {
		assertThat(this.worker).isNotNull();
		return this.worker;
	}

	private TaskClient client() {
		assertThat(this.client).isNotNull();
		return this.client;
	}

	/**
	 * A result store that fails a given number of times before it works, as a database
	 * that is briefly down does.
	 */
	static final class FlakyResultStore extends InMemoryResultStore {

		final AtomicInteger failures = new AtomicInteger();

		@Override
		public void save(TaskResult result) {
			if (this.failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				throw new IllegalStateException("result store unavailable (simulated)");
			}
			super.save(result);
		}

	}

	/**
	 * A short task and a long one that blocks, interruptibly, until released: the first
	 * run of the long one is expected to be interrupted by its worker's stop.
	 */
	public static class StoppingTasks {

		final CountDownLatch releaseQuick = new CountDownLatch(1);

		final CountDownLatch releaseSlow = new CountDownLatch(1);

		final AtomicInteger quickStarted = new AtomicInteger();

		final AtomicInteger quickCompleted = new AtomicInteger();

		final AtomicInteger slowStarted = new AtomicInteger();

		final AtomicInteger slowInterrupted = new AtomicInteger();

		final AtomicInteger slowCompleted = new AtomicInteger();

		public String quick() throws InterruptedException {
			this.quickStarted.incrementAndGet();
			this.releaseQuick.await();
			this.quickCompleted.incrementAndGet();
			return "quick";
		}

		public String slow() throws InterruptedException {
			this.slowStarted.incrementAndGet();
			try {
				this.releaseSlow.await();
			}
			catch (InterruptedException ex) {
				this.slowInterrupted.incrementAndGet();
				throw ex;
			}
			this.slowCompleted.incrementAndGet();
			return "slow";
		}

	}

	/**
	 * The tasks the contract runs.
	 */
	public static class SampleTasks {

		final AtomicInteger failures = new AtomicInteger();

		public int add(int x, int y) {
			return x + y;
		}

		public String fail(String message) {
			this.failures.incrementAndGet();
			throw new IllegalStateException(message);
		}

		public String concat(List<String> parts, String separator) {
			return String.join(separator, parts);
		}

	}

}

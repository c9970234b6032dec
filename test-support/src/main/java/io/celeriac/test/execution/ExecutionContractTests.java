package io.celeriac.test.execution;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.errorqueue.ErrorQueueMessage;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.TaskInterceptor;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.ResultWatcher;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerExtensions;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract of the execution model on a broker and a delayed task store: a task that
 * throws an exception its {@code retryOn} names is retried as Celery retries (same id,
 * {@code retries} + 1, {@code eta} after the backoff, {@code parent_id} its own id) and
 * succeeds on a later attempt, never before its backoff; other exceptions and the last
 * attempt go to the error queue with their attempts; an expired task is revoked and not
 * run; a task with a future {@code eta} waits in the store and runs once due; a listener
 * that throws loses no task; interceptors run around each task; metadata headers reach
 * the worker's contributors. Each broker's test extends it.
 *
 * @author Celeriac team
 */
public abstract class ExecutionContractTests {

	/**
	 * How long a test waits for the worker.
	 */
	protected static final Duration WAIT = Duration.ofSeconds(20);

	/**
	 * How much later than promised a retry may run before the test fails: generous, since
	 * shared test machines stall; the figures are printed for the record.
	 */
	protected static final Duration TOLERANCE = Duration.ofSeconds(3);

	private final RecordingResultStore results = new RecordingResultStore();

	private final CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());

	private final Tasks tasks = new Tasks();

	private final RecordingListener listener = new RecordingListener();

	private final List<String> intercepted = new CopyOnWriteArrayList<>();

	private final TenantContributor tenant = new TenantContributor();

	private @Nullable Topology topology;

	private @Nullable TaskWorker worker;

	private @Nullable DelayedTaskScheduler scheduler;

	private @Nullable ResultWatcher watcher;

	private @Nullable TaskClient client;

	private @Nullable DelayedTaskStore store;

	/**
	 * Returns the broker under test.
	 * @return the broker
	 */
	protected abstract Broker broker();

	/**
	 * Returns a topology that no other test uses, with the given services.
	 * @param services the services
	 * @return the topology, not yet declared
	 */
	protected abstract Topology newTopology(String... services);

	/**
	 * Returns the delayed task store of this test, empty, that no other test uses: the
	 * one {@link #broker()} counts in its queues' {@code delayed} figure.
	 * @return the store
	 */
	protected abstract DelayedTaskStore delayedTaskStore();

	@BeforeEach
	void startWorker() throws NoSuchMethodException {
		Topology topology = newTopology("sample");
		broker().declare(topology);
		TaskRegistry registry = new TaskRegistry();
		for (String name : List.of("flaky", "wrong", "always", "add", "paced")) {
			java.lang.reflect.Method method = java.util.Arrays.stream(Tasks.class.getMethods())
				.filter((candidate) -> candidate.getName().equals(name))
				.findFirst()
				.orElseThrow();
			registry.register(new TaskMethod("sample." + name, this.tasks, method));
		}
		WorkerSettings settings = new WorkerSettings("execution@test", List.of("sample"), 2, 5, 65536, false,
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		ErrorQueue errorQueue = new ErrorQueue(broker(), topology, settings.name(), settings.confirmTimeout());
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		this.store = delayedTaskStore();
		this.scheduler = new DelayedTaskScheduler(this.store, broker(), new DelayedTaskScheduler.Settings(
				Duration.ofMillis(20), 100, Duration.ofSeconds(30), Duration.ofSeconds(10)));
		this.worker = TaskWorker.builder(broker(), registry, this.protocol, errorQueue, topology, router, settings)
			.results(this.results)
			.delayedTasks(this.store)
			.extensions(new WorkerExtensions(List.of(new ThrowingListener(), this.listener), List.of(this::intercept),
					List.of(this.tenant)))
			.build();
		this.watcher = new ResultWatcher(this.results);
		this.client = new BrokerTaskClient(broker(), topology, router, this.protocol, this.watcher, null,
				List.of(this.tenant));
		this.topology = topology;
		this.scheduler.start();
		this.worker.start();
	}

	@AfterEach
	void stopWorker() {
		if (this.worker != null) {
			this.worker.stop();
		}
		if (this.scheduler != null) {
			this.scheduler.stop();
		}
		if (this.watcher != null) {
			this.watcher.destroy();
		}
		closeServices();
	}

	/**
	 * Closes the connections the test class opened, once the worker and the scheduler
	 * have stopped.
	 */
	protected void closeServices() {
	}

	@Test
	void aTaskFailingTwiceWithAListedExceptionSucceedsOnAttemptThreeAfterTheBackoff() {
		TaskHandle<Integer> handle = client().send("sample.flaky", List.of("twice", 2), Map.of(),
				TaskOptions.defaults(), Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(3);
		List<Instant> attempts = this.tasks.attempts.get("twice");
		assertThat(attempts).hasSize(3);
		Duration first = Duration.between(attempts.get(0), attempts.get(1));
		Duration second = Duration.between(attempts.get(1), attempts.get(2));
		System.out.printf("Retry backoff on %s: promised 400 ms then 800 ms, measured %d ms then %d ms%n",
				getClass().getSimpleName(), first.toMillis(), second.toMillis());
		assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(400))
			.isLessThan(Duration.ofMillis(400).plus(TOLERANCE));
		assertThat(second).isGreaterThanOrEqualTo(Duration.ofMillis(800))
			.isLessThan(Duration.ofMillis(800).plus(TOLERANCE));
		assertThat(this.results.states(handle.id())).containsExactly(TaskState.RETRY, TaskState.RETRY,
				TaskState.SUCCESS);
		TaskResult done = this.results.find(handle.id()).orElseThrow();
		assertThat(done.retries()).isEqualTo(2);
		assertThat(this.listener.retries).containsExactly(Duration.ofMillis(400), Duration.ofMillis(800));
	}

	@Test
	void aRetryIsPublishedAsCeleryPublishesIt() {
		TaskHandle<Integer> handle = client().send("sample.flaky", List.of("once", 1), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(2);
		TaskMessage retried = this.listener.delayed.stream()
			.filter((message) -> message.id().equals(handle.id()))
			.findFirst()
			.orElseThrow();
		assertThat(retried.task()).isEqualTo("sample.flaky");
		assertThat(retried.headers().retries()).isEqualTo(1);
		assertThat(retried.headers().parentId()).isEqualTo(handle.id());
		assertThat(retried.headers().rootId()).isEqualTo(handle.id());
		assertThat(retried.headers().eta()).isNotNull();
		assertThat(retried.headers().extra()).containsKey(TaskWorker.FIRST_FAILURE_HEADER);
		assertThat(retried.body().args().toString()).isEqualTo("[\"once\",1]");
	}

	@Test
	void anExceptionNotListedGoesToTheErrorQueueAtOnce() {
		TaskHandle<Integer> handle = client().send("sample.wrong", List.of(), Map.of(), TaskOptions.defaults(),
				Integer.class);
		Delivery moved = awaitErrorQueue();
		Map<String, @Nullable Object> headers = moved.message().headers();
		assertThat(headers.get(ErrorHeaders.KIND)).hasToString(ErrorKind.TASK_FAILED.name());
		assertThat(headers.get(ErrorHeaders.ATTEMPTS)).hasToString("1");
		assertThat(headers.get(ErrorHeaders.EXCEPTION)).hasToString(IllegalArgumentException.class.getName());
		assertThat(this.tasks.calls("wrong")).isOne();
		assertThat(this.results.states(handle.id())).containsExactly(TaskState.FAILURE);
		assertThat(this.listener.errors).containsExactly(handle.id());
	}

	@Test
	void theLastFailedAttemptGoesToTheErrorQueueWithItsAttempts() {
		TaskHandle<Integer> handle = client().send("sample.always", List.of(), Map.of(), TaskOptions.defaults(),
				Integer.class);
		Delivery moved = awaitErrorQueue();
		Map<String, @Nullable Object> headers = moved.message().headers();
		assertThat(headers.get(ErrorHeaders.KIND)).hasToString(ErrorKind.RETRIES_EXHAUSTED.name());
		assertThat(headers.get(ErrorHeaders.ATTEMPTS)).hasToString("3");
		Instant first = Instant.parse(String.valueOf(headers.get(ErrorHeaders.FIRST_FAILURE)));
		Instant last = Instant.parse(String.valueOf(headers.get(ErrorHeaders.LAST_FAILURE)));
		assertThat(first).isBefore(last);
		assertThat(headers.get("retries")).hasToString("2");
		assertThat(this.tasks.calls("always")).isEqualTo(3);
		assertThat(this.results.states(handle.id())).containsExactly(TaskState.RETRY, TaskState.RETRY,
				TaskState.FAILURE);
	}

	@Test
	void anExpiredTaskIsRevokedAndNotRun() {
		WireMessage message = celeryMessage("sample.add", "[[1, 2], {}, {}]",
				Map.of("expires", CeleryTime.format(Instant.now().minusSeconds(5))));
		broker().publish(topology().exchange(), "sample", message).join();
		await().atMost(WAIT).until(() -> this.results.find(message.correlationId()).isPresent());
		TaskResult result = this.results.find(message.correlationId()).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.REVOKED);
		assertThat(result.failure().exceptionType()).isEqualTo("TaskRevokedError");
		assertThat(result.failure().message()).isEqualTo("expired");
		assertThat(this.tasks.calls("add")).isZero();
		assertThat(this.listener.expired).containsExactly(message.correlationId());
		await().atMost(WAIT).until(() -> broker().messageCount(topology().queueName("sample")) == 0);
		assertThat(broker().messageCount(topology().errorQueueName(topology().queueName("sample")))).isZero();
	}

	@Test
	void aTaskWithAFutureEtaWaitsInTheStoreAndRunsOnceDue() {
		Instant eta = Instant.now().plusMillis(1500);
		TaskHandle<Integer> handle = client().send("sample.add", List.of(2, 3), Map.of(),
				TaskOptions.defaults().withEta(eta), Integer.class);
		await().atMost(WAIT).until(() -> this.listener.delayed.stream().anyMatch((m) -> m.id().equals(handle.id())));
		assertThat(handle.await(WAIT)).isEqualTo(5);
		Instant ran = this.tasks.attempts.get("add").get(0);
		System.out.printf("eta on %s: ran %d ms after its eta%n", getClass().getSimpleName(),
				Duration.between(eta, ran).toMillis());
		assertThat(ran).isAfterOrEqualTo(eta.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
		await().atMost(WAIT).until(() -> store().size() == 0);
	}

	@Test
	void aTaskOverItsRateLimitWaitsInTheStoreAndRunsAtItsTurnAsTheSameAttempt() {
		// sample.paced allows "2/s": a burst of two, then one every 500 ms
		Duration interval = Duration.ofMillis(500);
		Instant start = Instant.now();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			// as Python Celery sends them
			WireMessage message = celeryMessage("sample.paced", "[[" + i + "], {}, {}]", Map.of());
			broker().publish(topology().exchange(), "sample", message).join();
			ids.add(message.correlationId());
		}
		await().atMost(WAIT)
			.until(() -> ids.stream()
				.allMatch((id) -> this.results.find(id).map(TaskResult::state).orElse(null) == TaskState.SUCCESS));
		assertThat(this.tasks.calls("paced")).isEqualTo(5);
		assertThat(this.listener.delayed).extracting(TaskMessage::id).hasSizeGreaterThanOrEqualTo(3);
		for (String id : ids) {
			assertThat(this.results.find(id).orElseThrow().retries()).as("retries of %s", id).isZero();
			assertThat(this.results.states(id)).doesNotContain(TaskState.RETRY, TaskState.FAILURE);
		}
		List<Instant> runs = this.tasks.attempts.get("paced").stream().sorted().toList();
		System.out.printf("rate limit on %s: runs %s ms after the first publication%n", getClass().getSimpleName(),
				runs.stream().map((run) -> Duration.between(start, run).toMillis()).toList());
		// never faster than the rate: the k-th run (from 0) comes no sooner than k - 1
		// intervals after the first reservation, the clocks' granularity aside
		for (int k = 2; k < runs.size(); k++) {
			assertThat(runs.get(k)).as("run %d", k)
				.isAfterOrEqualTo(start.plus(interval.multipliedBy(k - 1)).minusMillis(20));
		}
		await().atMost(WAIT).until(() -> store().size() == 0);
	}

	@Test
	void theQueueStatsCountTheTasksWaitingForTheirEta() {
		String queue = topology().queueName("sample");
		TaskHandle<Integer> later = client().send("sample.add", List.of(1, 1), Map.of(),
				TaskOptions.defaults().withEta(Instant.now().plus(Duration.ofHours(1))), Integer.class);
		client().send("sample.add", List.of(2, 2), Map.of(),
				TaskOptions.defaults().withEta(Instant.now().plus(Duration.ofHours(2))), Integer.class);
		await().atMost(WAIT).until(() -> broker().stats(queue).delayed() == 2);
		assertThat(broker().stats(queue).ready()).isZero();
		assertThat(broker().stats(topology().errorQueueName(queue)).delayed()).isZero();
		assertThat(this.listener.delayed).extracting(TaskMessage::id).contains(later.id());
		// as the scheduler does once they are due: claim, publish, remove
		store().removeAll(store().claimDue(Instant.now().plus(Duration.ofHours(3)), 10, Duration.ofMinutes(1)));
		assertThat(broker().stats(queue).delayed()).isZero();
		assertThat(this.tasks.calls("add")).isZero();
	}

	@Test
	void aNaiveEtaFromPythonIsReadAsUtc() {
		String naive = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(1).toString();
		WireMessage message = celeryMessage("sample.add", "[[4, 5], {}, {}]", Map.of("eta", naive));
		broker().publish(topology().exchange(), "sample", message).join();
		await().atMost(WAIT).until(() -> this.results.find(message.correlationId()).isPresent());
		assertThat(this.results.find(message.correlationId()).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.listener.delayed).extracting(TaskMessage::id).contains(message.correlationId());
	}

	@Test
	void aListenerThatThrowsLosesNoTask() {
		TaskHandle<Integer> handle = client().send("sample.add", List.of(20, 22), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(42);
		await().atMost(WAIT).until(() -> this.listener.completed.contains(handle.id()));
	}

	@Test
	void metadataTravelsFromTheProducerToTheWorkerAroundTheTask() {
		TaskHandle<Integer> handle = client().send("sample.add", List.of(3, 4), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(7);
		await().atMost(WAIT).until(() -> this.tenant.consumed.contains("acme"));
		assertThat(this.tenant.closed.get()).isPositive();
	}

	@Test
	void interceptorsRunAroundEachTask() {
		TaskHandle<Integer> handle = client().send("sample.add", List.of(1, 1), Map.of(), TaskOptions.defaults(),
				Integer.class);
		assertThat(handle.await(WAIT)).isEqualTo(2);
		await().atMost(WAIT).until(() -> this.intercepted.contains(handle.id() + " returned 2"));
	}

	private @Nullable Object intercept(TaskMessage task, TaskInterceptor.Invocation invocation) throws Throwable {
		Object value = invocation.proceed();
		this.intercepted.add(task.id() + " returned " + value);
		return value;
	}

	@Test
	void theErrorQueueListsRequeuesAndDiscardsMessages() {
		ErrorQueueService operations = new ErrorQueueService(broker(), topology(), Duration.ofSeconds(10));
		String errorQueue = topology().errorQueueName(topology().queueName("sample"));
		String first = client().send("sample.wrong", List.of(), Map.of(), TaskOptions.defaults(), Integer.class).id();
		String second = client().send("sample.wrong", List.of(), Map.of(), TaskOptions.defaults(), Integer.class).id();
		await().atMost(WAIT).until(() -> broker().messageCount(errorQueue) == 2);
		List<ErrorQueueMessage> listed = operations.list(errorQueue, 10);
		assertThat(listed).extracting(ErrorQueueMessage::taskId).containsExactlyInAnyOrder(first, second);
		ErrorQueueMessage one = listed.get(0);
		assertThat(one.task()).isEqualTo("sample.wrong");
		assertThat(one.kind()).isEqualTo(ErrorKind.TASK_FAILED.name());
		assertThat(one.reason()).contains("not a transient failure");
		assertThat(one.exception()).isEqualTo(IllegalArgumentException.class.getName());
		assertThat(one.stackTrace()).contains("Tasks.wrong");
		assertThat(one.attempts()).isOne();
		assertThat(one.firstFailure()).isNotNull();
		assertThat(one.routingKey()).isEqualTo("sample");
		await().atMost(WAIT).until(() -> broker().messageCount(errorQueue) == 2);
		assertThat(operations.discard(errorQueue, List.of(first))).isOne();
		assertThat(operations.discard(errorQueue, List.of(first))).isZero();
		await().atMost(WAIT).until(() -> broker().messageCount(errorQueue) == 1);
		assertThat(operations.requeue(errorQueue, List.of(second))).isOne();
		await().atMost(WAIT).until(() -> this.tasks.calls("wrong") == 3);
		await().atMost(WAIT).until(() -> broker().messageCount(errorQueue) == 1);
		assertThat(operations.list(errorQueue, 10)).extracting(ErrorQueueMessage::taskId).containsExactly(second);
		await().atMost(WAIT).until(() -> broker().messageCount(errorQueue) == 1);
		assertThat(operations.discardAll(errorQueue)).isOne();
		await().atMost(WAIT).until(() -> broker().messageCount(errorQueue) == 0);
	}

	@Test
	void requeueAllSendsEveryMessageBackToItsService() {
		ErrorQueueService operations = new ErrorQueueService(broker(), topology(), Duration.ofSeconds(10));
		String errorQueue = topology().errorQueueName(topology().queueName("sample"));
		for (int i = 0; i < 3; i++) {
			client().send("sample.wrong", List.of(), Map.of(), TaskOptions.defaults(), Integer.class);
		}
		await().atMost(WAIT).until(() -> broker().messageCount(errorQueue) == 3);
		assertThat(operations.requeueAll(errorQueue)).isEqualTo(3);
		await().atMost(WAIT).until(() -> this.tasks.calls("wrong") == 6);
		await().atMost(WAIT).until(() -> broker().messageCount(errorQueue) == 3);
		assertThat(operations.discardAll(errorQueue)).isEqualTo(3);
	}

	private Delivery awaitErrorQueue() {
		String errorQueue = topology().errorQueueName(topology().queueName("sample"));
		Delivery[] found = new Delivery[1];
		await().atMost(WAIT).until(() -> (found[0] = broker().get(errorQueue)) != null);
		found[0].ack();
		return found[0];
	}

	private WireMessage celeryMessage(String task, String body, Map<String, ? extends @Nullable Object> more) {
		String id = java.util.UUID.randomUUID().toString();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", task);
		headers.put("id", id);
		headers.put("eta", null);
		headers.put("expires", null);
		headers.put("retries", 0);
		headers.put("root_id", id);
		headers.put("parent_id", null);
		headers.put("argsrepr", "");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "gen1@test");
		headers.put("ignore_result", false);
		headers.putAll(more);
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers, id, "reply",
				0, true, null);
	}

	private Topology topology() {
		assertThat(this.topology).isNotNull();
		return this.topology;
	}

	private TaskClient client() {
		assertThat(this.client).isNotNull();
		return this.client;
	}

	private DelayedTaskStore store() {
		assertThat(this.store).isNotNull();
		return this.store;
	}

	/**
	 * The exception the sample tasks retry on.
	 */
	public static class TransientFailure extends RuntimeException {

		TransientFailure(String message) {
			super(message);
		}

	}

	/**
	 * The tasks the contract runs; each records when it was called.
	 */
	public static class Tasks {

		final Map<String, List<Instant>> attempts = new ConcurrentHashMap<>();

		private List<Instant> attempt(String key) {
			List<Instant> list = this.attempts.computeIfAbsent(key, (ignored) -> new CopyOnWriteArrayList<>());
			list.add(Instant.now());
			return list;
		}

		int calls(String key) {
			return this.attempts.getOrDefault(key, List.of()).size();
		}

		@Deferrable(name = "sample.flaky", retryOn = TransientFailure.class, backoffDelayMillis = 400,
				backoffJitter = false)
		public int flaky(String key, int failures) {
			int attempt = attempt(key).size();
			if (attempt <= failures) {
				throw new TransientFailure("attempt " + attempt + " of " + key);
			}
			return attempt;
		}

		@Deferrable(name = "sample.wrong", retryOn = TransientFailure.class)
		public int wrong() {
			attempt("wrong");
			throw new IllegalArgumentException("not a transient failure");
		}

		@Deferrable(name = "sample.always", retryOn = TransientFailure.class, maxAttempts = 3, backoffDelayMillis = 50)
		public int always() {
			attempt("always");
			throw new TransientFailure("always");
		}

		@Deferrable(name = "sample.add")
		public int add(int x, int y) {
			attempt("add");
			return x + y;
		}

		@Deferrable(name = "sample.paced", rateLimit = "2/s")
		public int paced(int n) {
			attempt("paced");
			return n;
		}

	}

	/**
	 * A result store that also keeps every state each task went through.
	 */
	static final class RecordingResultStore extends InMemoryResultStore {

		private final Map<String, List<TaskState>> states = new ConcurrentHashMap<>();

		@Override
		public void save(TaskResult result) {
			this.states.computeIfAbsent(result.taskId(), (ignored) -> new CopyOnWriteArrayList<>()).add(result.state());
			super.save(result);
		}

		List<TaskState> states(String taskId) {
			return this.states.getOrDefault(taskId, List.of());
		}

	}

	/**
	 * Records what it hears.
	 */
	static final class RecordingListener implements TaskLifecycleListener {

		final List<Duration> retries = new CopyOnWriteArrayList<>();

		final List<String> errors = new CopyOnWriteArrayList<>();

		final List<String> expired = new CopyOnWriteArrayList<>();

		final List<String> completed = new CopyOnWriteArrayList<>();

		final List<TaskMessage> delayed = new CopyOnWriteArrayList<>();

		@Override
		public void onRetry(TaskMessage task, Throwable exception, Duration delay) {
			this.retries.add(delay);
		}

		@Override
		public void onError(TaskMessage task, @Nullable Throwable exception) {
			this.errors.add(task.id());
		}

		@Override
		public void onExpire(TaskMessage task) {
			this.expired.add(task.id());
		}

		@Override
		public void onComplete(TaskMessage task) {
			this.completed.add(task.id());
		}

		@Override
		public void onDelay(TaskMessage task) {
			this.delayed.add(task);
		}

	}

	/**
	 * Carries a tenant name and records what the worker consumed.
	 */
	static final class TenantContributor implements MetadataContributor {

		final List<String> consumed = new CopyOnWriteArrayList<>();

		final java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();

		@Override
		public String namespace() {
			return "tenant";
		}

		@Override
		public String produce() {
			return "acme";
		}

		@Override
		public Scope consume(@Nullable String metadata) {
			if (metadata != null) {
				this.consumed.add(metadata);
			}
			return this.closed::incrementAndGet;
		}

	}

	/**
	 * A listener that throws on every event.
	 */
	static final class ThrowingListener implements TaskLifecycleListener {

		@Override
		public void onPop(TaskMessage task) {
			throw new IllegalStateException("listener failure (simulated)");
		}

		@Override
		public void onComplete(TaskMessage task) {
			throw new IllegalStateException("listener failure (simulated)");
		}

		@Override
		public void onRetry(TaskMessage task, Throwable exception, Duration delay) {
			throw new IllegalStateException("listener failure (simulated)");
		}

		@Override
		public void onDelay(TaskMessage task) {
			throw new IllegalStateException("listener failure (simulated)");
		}

	}

}

package io.celeriac.test.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.celeriac.broker.Broker;
import io.celeriac.processing.CachedOperations;
import io.celeriac.processing.OperationBeanPostProcessor;
import io.celeriac.processing.OperationHit;
import io.celeriac.processing.OperationKey;
import io.celeriac.processing.OperationOutcome;
import io.celeriac.processing.OperationQuarantine;
import io.celeriac.processing.OperationRegistry;
import io.celeriac.processing.OperationRequest;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.OperationTasks;
import io.celeriac.processing.ProcessingOutcome;
import io.celeriac.processing.ProcessingSettings;
import io.celeriac.processing.QuarantinedOperation;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.processing.Documents.Callback;
import io.celeriac.test.processing.Documents.Reply;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of cached operations on a broker, an operation store and a worker: 100
 * concurrent misses on a cold key run one processing whose one callback carries all 100
 * callback arguments, and the next request is a hit; retries carry their keyword
 * arguments; a quarantine (asked for, or an exception) reaches the quarantine consumer
 * with its keyword arguments and the waiting callers' callback arguments; a URI and the
 * URI it redirects to, requested concurrently, are processed once; bulk requests hand
 * their hits over in one map. Each backend's test extends it.
 *
 * @author Celeriac team
 */
public abstract class CachedOperationsContractTests {

	/**
	 * How long a test waits for the worker.
	 */
	protected static final Duration WAIT = Duration.ofSeconds(60);

	/**
	 * The processing service of the tests.
	 */
	protected static final String SERVICE = "processing";

	/**
	 * The quarantine service of the tests.
	 */
	protected static final String QUARANTINE_SERVICE = "processing-quarantine";

	private static final int CALLERS = 100;

	private final Documents documents = new Documents();

	private final ExecutorService executor = Executors.newFixedThreadPool(CALLERS);

	private @Nullable TaskWorker worker;

	private @Nullable CachedOperations operations;

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
	 * Returns an empty operation store that no other test uses.
	 * @return the store
	 */
	protected abstract OperationStore newStore();

	/**
	 * Closes the connections the test class opened, once the worker has stopped.
	 */
	protected void closeServices() {
	}

	/**
	 * Returns the settings of the tests: results kept 10 minutes.
	 * @return the settings
	 */
	protected static ProcessingSettings settings() {
		return new ProcessingSettings(SERVICE, QUARANTINE_SERVICE, Duration.ofMinutes(5), Duration.ofMinutes(5),
				Map.of(), Duration.ofMinutes(10));
	}

	@BeforeEach
	void startWorker() {
		Topology topology = newTopology(SERVICE, QUARANTINE_SERVICE);
		broker().declare(topology);
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		BrokerTaskClient client = new BrokerTaskClient(broker(), topology, router, protocol, null);
		OperationStore store = newStore();
		OperationRegistry registry = new OperationRegistry();
		new OperationBeanPostProcessor(registry).postProcessAfterInitialization(this.documents, "documents");
		ProcessingSettings settings = settings();
		this.operations = new CachedOperations(store, registry, client, protocol.mapper(), settings);
		OperationTasks tasks = new OperationTasks(this.operations, store, registry, client, protocol.mapper(), settings,
				List.of(this.documents));
		TaskRegistry taskRegistry = new TaskRegistry();
		tasks.registerTasks(taskRegistry);
		WorkerSettings workerSettings = new WorkerSettings("processing@test", List.of(), 4, 4, 65536, false,
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		ErrorQueue errorQueue = new ErrorQueue(broker(), topology, workerSettings.name(),
				workerSettings.confirmTimeout());
		this.worker = TaskWorker.builder(broker(), taskRegistry, protocol, errorQueue, topology, router, workerSettings)
			.build();
		this.worker.start();
	}

	@AfterEach
	void stopWorker() {
		this.documents.open();
		if (this.worker != null) {
			this.worker.stop();
		}
		this.executor.shutdownNow();
		closeServices();
	}

	@Test
	void aHundredConcurrentMissesOnAColdKeyRunOneProcessingWithOneCallbackCarryingEveryCallbackArgument()
			throws Exception {
		this.documents.close();
		String uri = "doc:cold";
		List<OperationOutcome> outcomes = concurrently(IntStream.range(0, CALLERS)
			.mapToObj((i) -> new OperationRequest("measure", uri, new Reply("caller-" + i)))
			.toList());
		assertThat(outcomes).noneMatch(OperationOutcome::isHit);
		assertThat(outcomes.stream().map(OperationOutcome::processingId).distinct()).hasSize(1);
		this.documents.open();
		for (OperationOutcome outcome : outcomes) {
			assertThat(outcome.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.CALLED_BACK);
		}
		assertThat(this.documents.runs("measure", uri)).isOne();
		List<Callback> callbacks = this.documents.callbacks();
		assertThat(callbacks).hasSize(1);
		assertThat(callbacks.get(0).result()).isEqualTo(new Documents.Measure(uri, uri.length()));
		assertThat(callbacks.get(0).replies()).containsExactlyInAnyOrderElementsOf(
				IntStream.range(0, CALLERS).mapToObj((i) -> new Reply("caller-" + i)).toList());
		OperationOutcome later = operations().getOrDelegate("measure", uri, new Reply("later"));
		assertThat(later.isHit()).isTrue();
		assertThat(later.result().get("length").asInt()).isEqualTo(uri.length());
		assertThat(this.documents.callbacks()).hasSize(1);
		assertThat(this.documents.runs("measure", uri)).isOne();
	}

	@Test
	void retriesCarryTheirKeywordArgumentsAndTheQuarantineConsumerGetsThoseOfTheQuarantine() {
		OperationOutcome outcome = operations().getOrDelegate("fetch", "doc:gone", new Reply("a"));
		assertThat(outcome.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.QUARANTINED);
		assertThat(this.documents.fetchAttempts()).containsExactly(Map.of(), Map.of("attempt", 2),
				Map.of("attempt", 3));
		QuarantinedOperation quarantined = awaitQuarantined(1).get(0);
		assertThat(quarantined.operation()).isEqualTo("fetch");
		assertThat(quarantined.uri()).isEqualTo("doc:gone");
		assertThat(quarantined.exception().type()).isEqualTo(OperationQuarantine.class.getName());
		assertThat(quarantined.exception().quarantinedByOperation()).isTrue();
		assertThat(quarantined.kwargs()).isEqualTo(Map.of("attempt", 3, "status", 503));
		assertThat(quarantined.callbackArgs()).singleElement()
			.satisfies((args) -> assertThat(args.get("caller").asString()).isEqualTo("a"));
		assertThat(this.documents.callbacks()).isEmpty();
	}

	@Test
	void aRetriedOperationThatSucceedsCallsBackOnceWithTheResultOfItsLastRun() {
		OperationOutcome first = operations().getOrDelegate("flaky", "doc:flaky", new Reply("a"));
		OperationOutcome second = operations().getOrDelegate("flaky", "doc:flaky", new Reply("b"));
		assertThat(second.processingId()).isEqualTo(first.processingId());
		assertThat(first.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.CALLED_BACK);
		assertThat(this.documents.runs("flaky", "doc:flaky")).isEqualTo(2);
		assertThat(this.documents.callbacks()).singleElement().satisfies((callback) -> {
			assertThat(callback.result().length()).isEqualTo(2);
			assertThat(callback.replies()).containsExactly(new Reply("a"), new Reply("b"));
		});
	}

	@Test
	void anUnexpectedExceptionQuarantinesTheRequestAndTheNextRequestProcessesItAgain() {
		OperationOutcome first = operations().getOrDelegate("broken", "doc:broken", new Reply("a"));
		assertThat(first.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.QUARANTINED);
		QuarantinedOperation quarantined = awaitQuarantined(1).get(0);
		assertThat(quarantined.exception().type()).isEqualTo(IllegalStateException.class.getName());
		assertThat(quarantined.exception().message()).isEqualTo("cannot read doc:broken");
		assertThat(quarantined.exception().stackTrace()).contains("Documents.broken");
		assertThat(quarantined.exception().quarantinedByOperation()).isFalse();
		assertThat(quarantined.kwargs()).isEmpty();
		assertThat(quarantined.callbackArgs()).singleElement()
			.satisfies((args) -> assertThat(args.get("caller").asString()).isEqualTo("a"));
		OperationOutcome second = operations().getOrDelegate("broken", "doc:broken", new Reply("b"));
		assertThat(second.isHit()).isFalse();
		assertThat(second.processingId()).isNotEqualTo(first.processingId());
		assertThat(second.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.QUARANTINED);
		assertThat(awaitQuarantined(2).get(1).callbackArgs()).singleElement()
			.satisfies((args) -> assertThat(args.get("caller").asString()).isEqualTo("b"));
		assertThat(this.documents.runs("broken", "doc:broken")).isEqualTo(2);
	}

	@Test
	void aUriAndTheUriItRedirectsToRequestedConcurrentlyAreProcessedOnce() throws Exception {
		this.documents.close();
		List<OperationRequest> requests = new ArrayList<>();
		List<Reply> replies = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			requests.add(new OperationRequest("canonical", "alias:readme", new Reply("alias-" + i)));
			requests.add(new OperationRequest("canonical", "doc:readme", new Reply("doc-" + i)));
			replies.add(new Reply("alias-" + i));
			replies.add(new Reply("doc-" + i));
		}
		List<OperationOutcome> outcomes = concurrently(requests);
		assertThat(outcomes).noneMatch(OperationOutcome::isHit);
		await().atMost(WAIT).until(() -> this.documents.runs("canonical", "alias:readme") == 1);
		this.documents.open();
		for (OperationOutcome outcome : outcomes) {
			assertThat(outcome.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.CALLED_BACK);
		}
		assertThat(this.documents.runs("canonical", "doc:readme")).isOne();
		assertThat(this.documents.runs("canonical", "alias:readme")).isOne();
		List<Callback> callbacks = this.documents.callbacks();
		assertThat(callbacks).allSatisfy((callback) -> assertThat(callback.result())
			.isEqualTo(new Documents.Measure("doc:readme", "doc:readme".length())));
		assertThat(callbacks.stream().flatMap((callback) -> callback.replies().stream()))
			.containsExactlyInAnyOrderElementsOf(replies);
		OperationOutcome alias = operations().getOrDelegate("canonical", "alias:readme", new Reply("later"));
		assertThat(alias.isHit()).isTrue();
		assertThat(alias.result().get("uri").asString()).isEqualTo("doc:readme");
		assertThat(this.documents.runs("canonical", "doc:readme")).isOne();
		assertThat(this.documents.runs("canonical", "alias:readme")).isOne();
	}

	@Test
	void bulkRequestsHandTheirHitsOverInOneMapAndDelegateTheMissesOnePerKey() {
		OperationOutcome warm = operations().getOrDelegate("measure", "doc:one", new Reply("warm"));
		assertThat(warm.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.CALLED_BACK);
		AtomicInteger calls = new AtomicInteger();
		AtomicReference<Map<OperationKey, OperationHit>> hits = new AtomicReference<>();
		Map<OperationKey, String> delegated = operations()
			.bulkGetOrDelegate(List.of(new OperationRequest("measure", "doc:one", new Reply("a")),
					new OperationRequest("measure", "doc:two", new Reply("b")),
					new OperationRequest("measure", "doc:one", new Reply("c")),
					new OperationRequest("measure", "doc:two", new Reply("d"))), (found) -> {
						calls.incrementAndGet();
						hits.set(found);
					});
		assertThat(calls).hasValue(1);
		OperationKey one = new OperationKey("measure", "doc:one");
		assertThat(hits.get()).containsOnlyKeys(one);
		OperationHit hit = hits.get().get(one);
		assertThat(hit.result().get("length").asInt()).isEqualTo("doc:one".length());
		assertThat(hit.callbackArgs()).extracting((args) -> args.get("caller").asString()).containsExactly("a", "c");
		OperationKey two = new OperationKey("measure", "doc:two");
		assertThat(delegated).containsOnlyKeys(two);
		assertThat(operations().awaitCallback(delegated.get(two), WAIT)).isEqualTo(ProcessingOutcome.CALLED_BACK);
		assertThat(this.documents.callbacks()).filteredOn((callback) -> callback.result().uri().equals("doc:two"))
			.singleElement()
			.satisfies((callback) -> assertThat(callback.replies()).containsExactly(new Reply("b"), new Reply("d")));
		assertThat(this.documents.runs("measure", "doc:one")).isOne();
	}

	@Test
	void anUnknownOperationIsRefusedWithTheKnownOnes() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> operations().getOrDelegate("thumbnail", "doc:one", new Reply("a")))
			.withMessageContaining("No operation named 'thumbnail'")
			.withMessageContaining("measure");
		assertThatIllegalArgumentException().isThrownBy(() -> operations()
			.bulkGetOrDelegate(List.of(new OperationRequest("measure", "doc:fine", new Reply("a")),
					new OperationRequest("thumbnail", "doc:one", new Reply("b"))), (hits) -> {
					}))
			.withMessageContaining("No operation named 'thumbnail'");
	}

	private List<OperationOutcome> concurrently(List<OperationRequest> requests) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<OperationOutcome>> futures = new ArrayList<>();
		for (OperationRequest request : requests) {
			futures.add(this.executor.submit(() -> {
				start.await();
				return operations().getOrDelegate(request.operation(), request.uri(), request.callbackArgs());
			}));
		}
		start.countDown();
		List<OperationOutcome> outcomes = new ArrayList<>();
		for (Future<OperationOutcome> future : futures) {
			outcomes.add(future.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
		}
		return outcomes;
	}

	private List<QuarantinedOperation> awaitQuarantined(int count) {
		await().atMost(WAIT).until(() -> this.documents.quarantined().size() >= count);
		return this.documents.quarantined();
	}

	private CachedOperations operations() {
		CachedOperations operations = this.operations;
		assertThat(operations).isNotNull();
		return operations;
	}

}

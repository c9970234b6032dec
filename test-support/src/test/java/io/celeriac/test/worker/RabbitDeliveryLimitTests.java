package io.celeriac.test.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poison message on RabbitMQ: a quorum queue counts the deliveries of a message in its
 * {@code x-delivery-count} header, and a worker moves a message delivered more than
 * {@code maxDeliveries} times to the error queue instead of running it again. The
 * deliveries that never completed are made here by taking the message and giving it back,
 * as the broker does when the worker that held it dies.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitDeliveryLimitTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int MAX_DELIVERIES = 3;

	private final RabbitTestBroker rabbit;

	private final ServiceIsolation isolation;

	private final InMemoryResultStore results = new InMemoryResultStore();

	private final CountingTasks tasks = new CountingTasks();

	private @Nullable TaskWorker worker;

	RabbitDeliveryLimitTests(RabbitEndpoint endpoint, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(endpoint, isolation);
		this.isolation = isolation;
	}

	@AfterEach
	void stop() {
		if (this.worker != null) {
			this.worker.stop();
		}
		this.rabbit.close();
	}

	@Test
	void aMessageDeliveredMoreThanTheLimitGoesToTheErrorQueueWithoutRunning() throws Exception {
		Topology topology = quorumTopology();
		WireMessage poison = SampleTaskMessages.add(2, 3);
		publish(topology, poison);
		giveBack(topology, MAX_DELIVERIES);
		startWorker(topology);
		String errorQueue = topology.errorQueueName(topology.queueName("sample"));
		Delivery[] found = new Delivery[1];
		await().atMost(WAIT).until(() -> (found[0] = broker().get(errorQueue)) != null);
		Map<String, @Nullable Object> headers = found[0].message().headers();
		assertThat(headers.get(ErrorHeaders.KIND)).hasToString(ErrorKind.DELIVERY_LIMIT.name());
		assertThat(String.valueOf(headers.get(ErrorHeaders.REASON)))
			.contains("Delivered " + MAX_DELIVERIES + " times without completing")
			.contains("a worker probably died running it");
		assertThat(found[0].message().body()).isEqualTo(poison.body());
		found[0].ack();
		TaskResult result = this.results.find(poison.correlationId()).orElseThrow();
		assertThat(result.state()).isEqualTo(TaskState.FAILURE);
		assertThat(result.failure().exceptionType()).isEqualTo("WorkerLostError");
		// the worker goes on: a good message sent after it runs
		WireMessage good = SampleTaskMessages.add(20, 22);
		publish(topology, good);
		await().atMost(WAIT).until(() -> this.results.find(good.correlationId()).isPresent());
		assertThat(this.results.find(good.correlationId()).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.tasks.runs).hasValue(1);
	}

	@Test
	void aMessageDeliveredUpToTheLimitStillRuns() throws Exception {
		Topology topology = quorumTopology();
		WireMessage message = SampleTaskMessages.add(2, 3);
		publish(topology, message);
		giveBack(topology, MAX_DELIVERIES - 1);
		startWorker(topology);
		await().atMost(WAIT).until(() -> this.results.find(message.correlationId()).isPresent());
		assertThat(this.results.find(message.correlationId()).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.tasks.runs).hasValue(1);
		await().atMost(WAIT)
			.until(() -> broker().messageCount(topology.errorQueueName(topology.queueName("sample"))) == 0
					&& broker().messageCount(topology.queueName("sample")) == 0);
	}

	@Test
	void aQuorumQueueCountsDeliveriesAndAClassicQueueDoesNot() {
		Topology quorum = quorumTopology();
		Topology classic = this.rabbit.newTopology("sample");
		broker().declare(classic);
		for (Topology topology : List.of(quorum, classic)) {
			publish(topology, SampleTaskMessages.add(1, 1));
			Delivery first = take(topology);
			assertThat(first.redelivered()).isFalse();
			assertThat(first.deliveryCount()).hasValue(1);
			first.reject(true);
		}
		Delivery again = take(quorum);
		assertThat(again.redelivered()).isTrue();
		assertThat(again.deliveryCount()).hasValue(2);
		again.ack();
		Delivery unknown = take(classic);
		assertThat(unknown.redelivered()).isTrue();
		assertThat(unknown.deliveryCount()).isEmpty();
		unknown.ack();
	}

	@Test
	void aWorkerThatStopsGivesBackWhatItPrefetchedWithoutSpendingItsDeliveries() throws Exception {
		Topology topology = quorumTopology();
		// x = 0 holds its worker until the test lets it go
		publish(topology, SampleTaskMessages.add(0, 0));
		List<WireMessage> prefetched = IntStream.rangeClosed(1, 5)
			.mapToObj((i) -> SampleTaskMessages.add(i, i))
			.toList();
		prefetched.forEach((message) -> publish(topology, message));
		startWorker(topology, 10);
		await().atMost(WAIT).until(() -> this.tasks.holding.getCount() == 0);
		TaskWorker stopping = this.worker;
		this.worker = null;
		Thread stopper = new Thread(stopping::stop, "limit-stop");
		stopper.start();
		// the worker waits for its running task before it gives back what it holds
		await().atMost(WAIT).until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
		this.tasks.release.countDown();
		stopper.join(WAIT.toMillis());
		assertThat(stopper.isAlive()).isFalse();

		// each was delivered once, to the worker that stopped, and is now delivered again
		List<String> back = new ArrayList<>();
		for (int i = 0; i < prefetched.size(); i++) {
			Delivery delivery = take(topology);
			assertThat(delivery.deliveryCount()).as(delivery.message().correlationId()).hasValue(2);
			back.add(delivery.message().correlationId());
			delivery.ack();
		}
		assertThat(back)
			.containsExactlyInAnyOrderElementsOf(prefetched.stream().map(WireMessage::correlationId).toList());
		assertThat(broker().messageCount(topology.errorQueueName(topology.queueName("sample")))).isZero();
		assertThat(this.tasks.runs).hasValue(1);
	}

	private Topology quorumTopology() {
		Topology plain = this.rabbit.newTopology("sample");
		Topology topology = new Topology(plain.exchange(), plain.queueNamePrefix() + "q-", null, Set.of("sample"),
				QueueType.QUORUM, ".error");
		topology.bindings().forEach((binding) -> this.isolation.removeAfterwards(binding.queue()));
		topology.errorQueueNames().forEach(this.isolation::removeAfterwards);
		broker().declare(topology);
		return topology;
	}

	/**
	 * Takes the message and gives it back unsettled, as many times as asked: each is a
	 * delivery that did not complete.
	 */
	private void giveBack(Topology topology, int times) {
		for (int i = 0; i < times; i++) {
			take(topology).reject(true);
		}
	}

	private Delivery take(Topology topology) {
		Delivery[] found = new Delivery[1];
		await().atMost(WAIT).until(() -> (found[0] = broker().get(topology.queueName("sample"))) != null);
		return found[0];
	}

	private void startWorker(Topology topology) throws NoSuchMethodException {
		startWorker(topology, 1);
	}

	private void startWorker(Topology topology, int prefetch) throws NoSuchMethodException {
		TaskRegistry registry = new TaskRegistry();
		registry.register(
				new TaskMethod("sample.add", this.tasks, CountingTasks.class.getMethod("add", int.class, int.class)));
		WorkerSettings settings = new WorkerSettings("limit@test", List.of("sample"), 1, prefetch, 1 << 20, false,
				Duration.ofSeconds(5), Duration.ofSeconds(10), MAX_DELIVERIES);
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		this.worker = TaskWorker
			.builder(broker(), registry, protocol,
					new ErrorQueue(broker(), topology, settings.name(), settings.confirmTimeout()), topology,
					new FirstSegmentTaskRouter(), settings)
			.results(this.results)
			.build();
		this.worker.start();
	}

	private void publish(Topology topology, WireMessage message) {
		broker().publish(topology.exchange(), "sample", message).join();
	}

	private RabbitBroker broker() {
		return this.rabbit.broker();
	}

	/**
	 * A task that counts its runs.
	 */
	public static class CountingTasks {

		final AtomicInteger runs = new AtomicInteger();

		final CountDownLatch holding = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		public int add(int x, int y) throws InterruptedException {
			this.runs.incrementAndGet();
			if (x == 0) {
				this.holding.countDown();
				this.release.await();
			}
			return x + y;
		}

	}

}

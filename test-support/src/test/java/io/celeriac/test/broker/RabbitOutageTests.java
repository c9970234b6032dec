package io.celeriac.test.broker;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.celeriac.broker.Broker;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskPublishException;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.resource.OwnedResources;
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

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.AddressShuffleMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Stops the RabbitMQ application of a node of the test's own ({@code stop_app}) for ten
 * seconds while several threads send tasks, a worker on the same node running them: every
 * send that returned normally was confirmed and its task ends SUCCESS, every other send
 * raised {@link TaskPublishException} within the confirm timeout, none hung, and sends
 * and the worker's consumers come back by themselves after {@code start_app}. The figures
 * are printed for docs/reliability.md.
 *
 * @author Celeriac team
 */
class RabbitOutageTests {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration MARGIN = Duration.ofMillis(500);

	private static final Duration OUTAGE = Duration.ofSeconds(10);

	private static final Duration RECOVERY = Duration.ofSeconds(5);

	private static final Topology TOPOLOGY = new Topology("outage", "outage-", null, Set.of("outage"),
			QueueType.CLASSIC, ".error");

	private static final int SENDS = 3000;

	private static final int SENDERS = 4;

	/**
	 * The pause of each sender between two sends: 4 senders every 25 ms spread 3,000
	 * sends over about 19 s, the outage in their middle.
	 */
	private static final Duration PACE = Duration.ofMillis(25);

	private final OwnedResources resources = new OwnedResources();

	@AfterEach
	void closeResources() throws Exception {
		this.resources.close();
	}

	@Test
	void everySendAcrossARestartIsConfirmedAndRunOrRefusedWithinTheConfirmTimeoutAndSendingResumesByItself()
			throws Exception {
		RabbitNodeProcess node = own(RabbitNodeProcess.start());
		Stack stack = stack(address(node), CONFIRM_TIMEOUT);
		TaskClient client = stack.client();
		InMemoryResultStore results = stack.results();
		Adder adder = stack.adder();

		AtomicInteger numbers = new AtomicInteger();
		List<Send> sends = new CopyOnWriteArrayList<>();
		List<Thread> senders = new ArrayList<>();
		for (int i = 0; i < SENDERS; i++) {
			Thread sender = new Thread(() -> {
				int number;
				while ((number = numbers.getAndIncrement()) < SENDS) {
					sends.add(send(client, number));
					LockSupport.parkNanos(PACE.toNanos());
				}
			}, "outage-sender-" + i);
			sender.setDaemon(true);
			senders.add(sender);
		}
		senders.forEach(Thread::start);
		await().atMost(Duration.ofSeconds(60)).until(() -> sends.size() >= SENDS / 5);
		long stopping = System.nanoTime();
		node.stopApp();
		long down = System.nanoTime();
		// the outage lasts a fixed time: the senders go on meanwhile
		Thread.sleep(OUTAGE.toMillis());
		long starting = System.nanoTime();
		node.startApp();
		long back = System.nanoTime();
		for (Thread sender : senders) {
			sender.join(Duration.ofSeconds(120).toMillis());
		}
		assertThat(senders).as("senders still in a send (hung)").noneMatch(Thread::isAlive);
		assertThat(sends).hasSize(SENDS);

		List<Send> accepted = sends.stream().filter((send) -> send.failure == null).toList();
		List<Send> refused = sends.stream().filter((send) -> send.failure != null).toList();
		List<Send> whileDown = sends.stream().filter((send) -> send.start >= down && send.end <= starting).toList();
		Send firstAfter = accepted.stream()
			.filter((send) -> send.start >= back)
			.min(Comparator.comparingLong(Send::start))
			.orElse(null);
		assertThat(firstAfter).as("a send accepted after start_app").isNotNull();
		Duration resumed = Duration.ofNanos(firstAfter.end - back);
		// the worker's consumers come back by themselves: every accepted task runs
		await().atMost(Duration.ofSeconds(120))
			.until(() -> accepted.stream().allMatch((send) -> state(results, send) == TaskState.SUCCESS));
		Duration drained = Duration.ofNanos(System.nanoTime() - back);
		long firstRunAfter = adder.runs.stream().filter((run) -> run >= back).min(Long::compare).orElseThrow();
		Duration consuming = Duration.ofNanos(firstRunAfter - back);
		long maxRefusal = refused.stream().mapToLong(Send::millis).max().orElse(0);
		long maxAccepted = accepted.stream().mapToLong(Send::millis).max().orElse(0);
		int executions = adder.executions.values().stream().mapToInt(AtomicInteger::get).sum();
		long runTwice = adder.executions.values().stream().filter((count) -> count.get() > 1).count();
		long refusedButRun = refused.stream().filter((send) -> adder.executions.containsKey(send.number)).count();
		System.out.printf(
				"RabbitMQ outage: %d sends by %d threads, stop_app for %d ms (stop_app took %d ms, "
						+ "start_app %d ms)%n",
				sends.size(), SENDERS, Duration.ofNanos(starting - down).toMillis(),
				Duration.ofNanos(down - stopping).toMillis(), Duration.ofNanos(back - starting).toMillis());
		System.out.printf(
				"  accepted %d (longest %d ms), refused %d (longest %d ms, bound %d ms), %d while down "
						+ "all refused%n",
				accepted.size(), maxAccepted, refused.size(), maxRefusal, CONFIRM_TIMEOUT.plus(MARGIN).toMillis(),
				whileDown.size());
		System.out.printf(
				"  after start_app returned: first send accepted after %d ms, first task run after %d ms, "
						+ "every accepted task SUCCESS after %d ms (the senders went on meanwhile)%n",
				resumed.toMillis(), consuming.toMillis(), drained.toMillis());
		System.out.printf("  executions %d: %d tasks run twice (redelivered after an acknowledgement lost in the "
				+ "outage), %d refused sends run all the same%n", executions, runTwice, refusedButRun);

		assertThat(sends).allSatisfy((send) -> {
			assertThat(send.duration()).as(send.toString()).isLessThanOrEqualTo(CONFIRM_TIMEOUT.plus(MARGIN));
			if (send.failure != null) {
				assertThat(send.failure).as(send.toString()).isInstanceOf(TaskPublishException.class);
			}
		});
		assertThat(whileDown).as("sends while RabbitMQ was down").isNotEmpty().allSatisfy((send) -> {
			assertThat(send.failure).as(send.toString()).isNotNull();
		});
		assertThat(refused).as("refused sends").isNotEmpty();
		assertThat(accepted).allSatisfy((send) -> assertThat(adder.executions.get(send.number)).as(send.toString())
			.isNotNull()
			.hasPositiveValue());
		assertThat(resumed).as("sending again after start_app").isLessThanOrEqualTo(RECOVERY);
		assertThat(consuming).as("consuming again after start_app").isLessThanOrEqualTo(RECOVERY);
	}

	@Test
	void sendsWhileRabbitMqBlocksPublishersFailWithinTheConfirmTimeoutAndSendingResumesWhenTheAlarmClears()
			throws Exception {
		Duration confirmTimeout = Duration.ofSeconds(2);
		RabbitNodeProcess node = own(RabbitNodeProcess.start());
		Stack stack = stack(address(node), confirmTimeout);
		TaskClient client = stack.client();
		InMemoryResultStore results = stack.results();
		Send before = send(client, 0);
		assertThat(before.failure).as(before.toString()).isNull();

		node.memoryHighWatermark("0.000001");
		List<Send> blocked = new ArrayList<>();
		try {
			for (int i = 1; i <= 4; i++) {
				blocked.add(send(client, i));
			}
		}
		finally {
			node.memoryHighWatermark("0.4");
		}
		long cleared = System.nanoTime();
		Send after = await().atMost(Duration.ofSeconds(30))
			.until(() -> send(client, 100), (send) -> send.failure == null);
		Duration resumed = Duration.ofNanos(after.end - cleared);
		await().atMost(Duration.ofSeconds(30)).until(() -> state(results, after) == TaskState.SUCCESS);
		System.out.printf("RabbitMQ memory alarm: %s; a send accepted %d ms after the alarm cleared%n",
				blocked.stream().map((send) -> send.millis() + " ms").toList(), resumed.toMillis());
		assertThat(blocked).allSatisfy((send) -> {
			assertThat(send.failure).as(send.toString()).isInstanceOf(TaskPublishException.class);
			assertThat(send.duration()).as(send.toString()).isLessThanOrEqualTo(confirmTimeout.plus(MARGIN));
		});
		assertThat(resumed).isLessThanOrEqualTo(RECOVERY);
	}

	@Test
	void publishingAndConsumingMoveToTheNextAddressWhenTheirNodeStops() throws Exception {
		RabbitNodeProcess first = own(RabbitNodeProcess.start());
		RabbitNodeProcess second = own(RabbitNodeProcess.start());
		// two separate nodes, not a cluster: the topology is declared on each
		declareOn(second);
		Stack stack = stack(address(first) + "," + address(second), CONFIRM_TIMEOUT);
		Send before = send(stack.client(), 0);
		assertThat(before.failure).as(before.toString()).isNull();
		await().atMost(Duration.ofSeconds(30)).until(() -> state(stack.results(), before) == TaskState.SUCCESS);

		first.stopApp();
		long down = System.nanoTime();
		List<Send> sends = new ArrayList<>();
		Send moved = await().atMost(Duration.ofSeconds(30)).until(() -> {
			Send send = send(stack.client(), sends.size() + 1);
			sends.add(send);
			return send;
		}, (send) -> send.failure == null);
		Duration failover = Duration.ofNanos(moved.end - down);
		await().atMost(Duration.ofSeconds(30)).until(() -> state(stack.results(), moved) == TaskState.SUCCESS);
		Duration consumed = Duration.ofNanos(System.nanoTime() - down);
		System.out.printf(
				"RabbitMQ failover: %d sends refused (longest %d ms), the first on the second node "
						+ "accepted %d ms and run %d ms after stop_app of the first returned%n",
				sends.size() - 1, sends.stream().mapToLong(Send::millis).max().orElse(0), failover.toMillis(),
				consumed.toMillis());
		assertThat(sends).allSatisfy((send) -> {
			assertThat(send.duration()).as(send.toString()).isLessThanOrEqualTo(CONFIRM_TIMEOUT.plus(MARGIN));
			if (send.failure != null) {
				assertThat(send.failure).as(send.toString()).isInstanceOf(TaskPublishException.class);
			}
		});
		assertThat(failover).isLessThanOrEqualTo(RECOVERY);
		assertThat(consumed).isLessThanOrEqualTo(RECOVERY);
	}

	@Test
	void aSendToAServerThatAcceptsConnectionsButNeverAnswersFailsWithinTheConfirmTimeout() throws Exception {
		Duration confirmTimeout = Duration.ofSeconds(1);
		// a listening socket nobody reads: the client connects, sends the protocol header
		// and waits for an answer that never comes (its own handshake timeout is 10 s,
		// its
		// connection timeout 60 s)
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", silent.getLocalPort());
			this.resources.add(connections::destroy);
			RabbitBroker broker = new RabbitBroker(connections, confirmTimeout);
			this.resources.add(broker::destroy);
			WireMessage message = new WireMessage("{}".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
					Map.of(), "silent", null, 0, true, null);
			List<Duration> refusals = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				long start = System.nanoTime();
				assertThatExceptionOfType(PublishFailedException.class).isThrownBy(() -> broker
					.publishConfirmed(Broker.DEFAULT_EXCHANGE, "silent", message, Duration.ofMinutes(1)));
				refusals.add(Duration.ofNanos(System.nanoTime() - start));
			}
			System.out.printf("RabbitMQ never answering: publishes refused after %s (confirm timeout %d ms)%n",
					refusals.stream().map((took) -> took.toMillis() + " ms").toList(), confirmTimeout.toMillis());
			assertThat(refusals)
				.allSatisfy((took) -> assertThat(took).isLessThanOrEqualTo(confirmTimeout.plus(MARGIN)));
		}
	}

	/**
	 * A client, a broker and a worker (4 threads, in-memory results) on the given
	 * addresses, closed after the test.
	 */
	private Stack stack(String addresses, Duration confirmTimeout) throws NoSuchMethodException {
		CachingConnectionFactory connections = new CachingConnectionFactory();
		connections.setAddresses(addresses);
		// in the order given, as Spring Boot sets it (Spring AMQP's own default shuffles,
		// so
		// the publisher could pick the other of the test's two separate nodes)
		connections.setAddressShuffleMode(AddressShuffleMode.NONE);
		connections.setUsername("guest");
		connections.setPassword("guest");
		this.resources.add(connections::destroy);
		RabbitBroker broker = new RabbitBroker(connections, confirmTimeout);
		this.resources.add(broker::destroy);
		Topology topology = TOPOLOGY;
		broker.declare(topology);
		Adder adder = new Adder();
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("outage.add", adder, Adder.class.getMethod("add", int.class, int.class)));
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		InMemoryResultStore results = new InMemoryResultStore();
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		WorkerSettings settings = new WorkerSettings("outage@test", List.of("outage"), 4, 10, 65536, false,
				Duration.ofSeconds(5), confirmTimeout);
		TaskWorker worker = TaskWorker
			.builder(broker, registry, protocol,
					new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout()), topology, router,
					settings)
			.results(results)
			.build();
		worker.start();
		this.resources.add(worker::stop);
		return new Stack(new BrokerTaskClient(broker, topology, router, protocol, null), results, adder);
	}

	private static void declareOn(RabbitNodeProcess node) {
		CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", node.port());
		RabbitBroker broker = new RabbitBroker(connections, CONFIRM_TIMEOUT);
		try {
			broker.declare(TOPOLOGY);
		}
		finally {
			broker.destroy();
			connections.destroy();
		}
	}

	private static String address(RabbitNodeProcess node) {
		return "127.0.0.1:" + node.port();
	}

	private static Send send(TaskClient client, int number) {
		long start = System.nanoTime();
		try {
			String id = client.send("outage.add", List.of(number, 0), Map.of(), TaskOptions.defaults(), Integer.class)
				.id();
			return new Send(number, start, System.nanoTime(), id, null);
		}
		catch (RuntimeException ex) {
			return new Send(number, start, System.nanoTime(), null, ex);
		}
	}

	private static @Nullable TaskState state(InMemoryResultStore results, Send send) {
		return (send.taskId != null) ? results.find(send.taskId).map(TaskResult::state).orElse(null) : null;
	}

	private <T extends AutoCloseable> T own(T resource) {
		return this.resources.own(resource);
	}

	/**
	 * The task the worker runs; it counts the runs of each number.
	 */
	public static class Adder {

		final Map<Integer, AtomicInteger> executions = new ConcurrentHashMap<>();

		final List<Long> runs = new CopyOnWriteArrayList<>();

		public int add(int a, int b) {
			this.runs.add(System.nanoTime());
			this.executions.computeIfAbsent(a, (number) -> new AtomicInteger()).incrementAndGet();
			return a + b;
		}

	}

	private record Stack(TaskClient client, InMemoryResultStore results, Adder adder) {

	}

	private record Send(int number, long start, long end, @Nullable String taskId, @Nullable Throwable failure) {

		Duration duration() {
			return Duration.ofNanos(this.end - this.start);
		}

		long millis() {
			return duration().toMillis();
		}

		@Override
		public String toString() {
			return "send " + this.number + " took " + millis() + " ms and "
					+ ((this.failure != null) ? "threw " + this.failure : "was accepted as " + this.taskId);
		}

	}

}

package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueReader;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The broker contract on RabbitMQ, and queues declared with {@code x-max-priority}.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitBrokerTests extends BrokerContractTests {

	private final RabbitTestBroker rabbit;

	private final RabbitEndpoint endpoint;

	RabbitBrokerTests(RabbitEndpoint endpoint, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(endpoint, isolation);
		this.endpoint = endpoint;
	}

	@AfterEach
	void disconnect() {
		this.rabbit.close();
	}

	@Override
	protected Broker broker() {
		return this.rabbit.broker();
	}

	@Override
	protected Topology newTopology(String... services) {
		return this.rabbit.newTopology(services);
	}

	/**
	 * Classic queues, which the test topologies declare, do not count deliveries; quorum
	 * queues do (RabbitDeliveryLimitTests).
	 */
	@Override
	protected boolean countsDeliveries() {
		return false;
	}

	@Test
	void queuesDeclaredWithAMaxPriorityDeliverHigherPrioritiesFirst() throws Exception {
		Topology plain = newTopology("reports");
		Topology topology = new Topology(plain.exchange(), plain.queueNamePrefix(), plain.monitorQueue(),
				plain.services(), plain.queueType(), plain.errorQueueSuffix(), 10);
		broker().declare(topology);
		String queue = topology.queueName("reports");
		for (int priority : List.of(1, 9, 0, 5, 9)) {
			publish(topology, "reports", withPriority("priority " + priority, priority));
		}
		List<String> taken = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Delivery delivery = take(queue);
			taken.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
			delivery.ack();
		}
		assertThat(taken).containsExactly("priority 9", "priority 9", "priority 5", "priority 1", "priority 0");
		try (Connection connection = this.endpoint.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			// the monitor queue keeps copies and has no priorities: its messages stay in
			// order
			String monitor = topology.monitorQueueName();
			assertThat(monitor).isNotNull();
			List<String> copies = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				copies.add(new String(channel.basicGet(monitor, true).getBody(), StandardCharsets.UTF_8));
			}
			assertThat(copies).containsExactly("priority 1", "priority 9", "priority 0", "priority 5", "priority 9");
		}
	}

	@Test
	void withoutAMaxPriorityAQueueKeepsArrivalOrder() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		for (int priority : List.of(1, 9, 5)) {
			publish(topology, "reports", withPriority("priority " + priority, priority));
		}
		List<String> taken = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Delivery delivery = take(topology.queueName("reports"));
			taken.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
			delivery.ack();
		}
		assertThat(taken).containsExactly("priority 1", "priority 9", "priority 5");
	}

	@Test
	void aReaderHoldsWhatItLeavesOnOneChannelAndGivesItBackInItsPlace() throws Exception {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		for (int i = 0; i < 50; i++) {
			publish(topology, "reports", message("m" + i));
		}
		int consumerPort = this.rabbit.connectionFactory().createConnection().getLocalPort();
		int channelsBefore = RabbitChannels.openOn(consumerPort);
		try (QueueReader reader = broker().reader(queue)) {
			for (int i = 0; i < 50; i++) {
				Delivery delivery = reader.next();
				assertThat(delivery).isNotNull();
				if (i % 10 == 0) {
					delivery.ack();
				}
			}
			assertThat(broker().stats(queue).inFlight()).isEqualTo(45);
			assertThat(RabbitChannels.openOn(consumerPort)).isEqualTo(channelsBefore + 1);
		}
		await().atMost(WAIT).until(() -> broker().stats(queue).equals(new QueueStats(45, 0, 0)));
		List<String> left = new ArrayList<>();
		for (int i = 0; i < 45; i++) {
			Delivery delivery = take(queue);
			left.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
			delivery.ack();
		}
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			if (i % 10 != 0) {
				expected.add("m" + i);
			}
		}
		assertThat(left).containsExactlyElementsOf(expected);
	}

	/**
	 * The consumers of a subscription run on threads of their own, as many as its
	 * concurrency: the application's connection handing its deliveries to one thread does
	 * not bound them, and the application's connection settings are left as they were.
	 */
	@Test
	void aSubscriptionHoldsAsManyDeliveriesAtOnceAsItsConcurrencyWhateverTheApplicationConnectionsThreads()
			throws Exception {
		ExecutorService oneThread = Executors.newSingleThreadExecutor();
		CachingConnectionFactory application = new CachingConnectionFactory(this.endpoint.host(), this.endpoint.port());
		application.setUsername(this.endpoint.username());
		application.setPassword(this.endpoint.password());
		application.setVirtualHost(this.endpoint.virtualHost());
		application.setExecutor(oneThread);
		// settings of the application's own, which the worker's connection must not
		// change
		application.getRabbitConnectionFactory().setAutomaticRecoveryEnabled(true);
		application.getRabbitConnectionFactory().setConnectionTimeout(30_000);
		RabbitBroker broker = new RabbitBroker(application, Duration.ofSeconds(10));
		Topology topology = newTopology("reports");
		broker.declare(topology);
		String queue = topology.queueName("reports");
		for (int i = 0; i < 4; i++) {
			publish(topology, "reports", message("m" + i));
		}
		CountDownLatch allInHand = new CountDownLatch(4);
		Set<String> threads = ConcurrentHashMap.newKeySet();
		Subscription subscription = broker.consume(queue, new ConsumerSettings(4, 1), (delivery) -> {
			threads.add(Thread.currentThread().getName());
			allInHand.countDown();
			try {
				// each handler holds its delivery until all four are in hand
				allInHand.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			delivery.ack();
		});
		try {
			assertThat(allInHand.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			assertThat(threads).hasSize(4).allMatch((name) -> name.startsWith("celeriac-" + queue));
			assertThat(application.getRabbitConnectionFactory().isAutomaticRecoveryEnabled()).isTrue();
			assertThat(application.getRabbitConnectionFactory().getConnectionTimeout()).isEqualTo(30_000);
			await().atMost(WAIT).until(() -> broker.stats(queue).equals(new QueueStats(0, 0, 0)));
		}
		finally {
			subscription.stop(Duration.ofSeconds(5));
			broker.destroy();
			application.destroy();
			oneThread.shutdownNow();
		}
	}

	/**
	 * A task that ignores its interrupt holds neither the stop nor its message: the
	 * channel is closed a second after the timeout, which gives the message back. The
	 * delivery, abandoned at the timeout, settles nothing when the task acknowledges it
	 * late, and opens no connection again.
	 */
	@Test
	void stoppingGivesBackTheMessageOfATaskThatIgnoresItsInterruptSoonAfterTheTimeout() throws Exception {
		String queue = queueHolding("stubborn");
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch unwind = new CountDownLatch(1);
		List<Delivery> kept = new CopyOnWriteArrayList<>();
		Subscription subscription = broker().consume(queue, new ConsumerSettings(1, 1), (delivery) -> {
			kept.add(delivery);
			running.countDown();
			awaitIgnoringInterrupts(unwind);
		});
		assertThat(running.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(RabbitChannels.connectionsNamed("celeriac-" + queue)).isEqualTo(1);
		long start = System.nanoTime();
		subscription.stop(Duration.ofSeconds(1));
		Duration stopped = Duration.ofNanos(System.nanoTime() - start);
		unwind.countDown();
		// the timeout, the second's grace after the interrupt, and closing the channel
		assertThat(stopped).isLessThan(Duration.ofSeconds(5));
		await().atMost(WAIT).until(() -> broker().stats(queue).equals(new QueueStats(1, 0, 0)));
		assertThat(RabbitChannels.connectionsNamed("celeriac-" + queue)).isZero();
		// abandoned at the timeout, the delivery settles nothing
		kept.get(0).ack();
		assertThat(RabbitChannels.connectionsNamed("celeriac-" + queue)).isZero();
		Delivery again = take(queue);
		assertThat(again.redelivered()).isTrue();
		again.ack();
	}

	/**
	 * A delivery the handler left to be settled later (as the worker does while its
	 * outcome awaits its write) cannot be acknowledged once the subscription stopped: the
	 * refusal says so, and no channel or connection is opened for it.
	 */
	@Test
	void aDeliverySettledAfterItsSubscriptionStoppedIsRefusedWithoutConnectingAgain() throws Exception {
		String queue = queueHolding("late");
		List<Delivery> kept = new CopyOnWriteArrayList<>();
		Subscription subscription = broker().consume(queue, new ConsumerSettings(1, 1), kept::add);
		await().atMost(WAIT).until(() -> kept.size() == 1);
		subscription.stop(Duration.ofSeconds(1));
		assertThatExceptionOfType(AmqpIOException.class).isThrownBy(() -> kept.get(0).ack())
			.withMessageContaining("closed");
		assertThat(RabbitChannels.connectionsNamed("celeriac-" + queue)).isZero();
		await().atMost(WAIT).until(() -> broker().stats(queue).equals(new QueueStats(1, 0, 0)));
		take(queue).ack();
	}

	/**
	 * The subscriptions of several queues stop together: a task that ignores its
	 * interrupt in each queue costs one timeout, not one per queue.
	 */
	@Test
	void theSubscriptionsOfSeveralQueuesStopTogether() throws Exception {
		Topology topology = newTopology("reports", "invoices", "mail");
		broker().declare(topology);
		List<String> queues = List.of(topology.queueName("reports"), topology.queueName("invoices"),
				topology.queueName("mail"));
		for (String service : List.of("reports", "invoices", "mail")) {
			publish(topology, service, message(service));
		}
		CountDownLatch running = new CountDownLatch(3);
		CountDownLatch unwind = new CountDownLatch(1);
		Subscription subscription = broker().consume(queues, new ConsumerSettings(1, 1), (delivery) -> {
			running.countDown();
			awaitIgnoringInterrupts(unwind);
		});
		assertThat(running.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		long start = System.nanoTime();
		subscription.stop(Duration.ofSeconds(2));
		Duration stopped = Duration.ofNanos(System.nanoTime() - start);
		unwind.countDown();
		// one after the other, the three would take at least 3 × (2 s + the second's
		// grace)
		assertThat(stopped).isLessThan(Duration.ofSeconds(6));
		for (String queue : queues) {
			await().atMost(WAIT).until(() -> broker().stats(queue).equals(new QueueStats(1, 0, 0)));
		}
	}

	/**
	 * The consumers' connection reads the application's credentials at each connect: a
	 * password changed at runtime (RabbitMQ's and the application's) is the one used when
	 * the consumers connect again, here after an operator closed their connection.
	 */
	@Test
	void theConsumersConnectAgainWithThePasswordTheApplicationHoldsThen() throws Exception {
		String user = "celeriac-test-" + UUID.randomUUID().toString().substring(0, 8);
		RabbitControl.run("add_user", user, "first-password");
		CachingConnectionFactory application = new CachingConnectionFactory(this.endpoint.host(), this.endpoint.port());
		RabbitBroker broker = null;
		Subscription subscription = null;
		try {
			RabbitControl.run("set_permissions", "-p", this.endpoint.virtualHost(), user, ".*", ".*", ".*");
			application.setUsername(user);
			application.setPassword("first-password");
			application.setVirtualHost(this.endpoint.virtualHost());
			broker = new RabbitBroker(application, Duration.ofSeconds(10));
			Topology topology = newTopology("reports");
			broker.declare(topology);
			String queue = topology.queueName("reports");
			List<String> received = new CopyOnWriteArrayList<>();
			subscription = broker.consume(queue, new ConsumerSettings(1, 1), (delivery) -> {
				received.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
				delivery.ack();
			});
			publish(topology, "reports", message("before"));
			await().atMost(WAIT).until(() -> received.contains("before"));
			RabbitControl.run("change_password", user, "second-password");
			application.setPassword("second-password");
			assertThat(RabbitChannels.closeConnectionsNamed("celeriac-" + queue)).isEqualTo(1);
			publish(topology, "reports", message("after"));
			await().atMost(WAIT).until(() -> received.contains("after"));
			assertThat(RabbitChannels.connectionsNamed("celeriac-" + queue)).isEqualTo(1);
		}
		finally {
			if (subscription != null) {
				subscription.stop(Duration.ofSeconds(5));
			}
			if (broker != null) {
				broker.destroy();
			}
			application.destroy();
			RabbitControl.run("delete_user", user);
		}
	}

	private static void awaitIgnoringInterrupts(CountDownLatch latch) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (latch.getCount() > 0 && System.nanoTime() < deadline) {
			try {
				latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				// ignored, as a task that does not check for it would
			}
		}
	}

	@Test
	void quorumQueuesCannotHaveAMaxPriority() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Topology("tasks", "test-", null, Set.of("reports"), QueueType.QUORUM, ".error", 10))
			.withMessageContaining("quorum");
	}

	private static WireMessage withPriority(String body, int priority) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "text/plain", "utf-8", Map.of(), null, null,
				priority, true, null);
	}

}

package io.celeriac.test.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueReader;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.test.broker.RabbitChannels;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requeueing and discarding a selection from an error queue of 10,000 messages on a real
 * RabbitMQ: the pass stops once the selection is found, holds the messages it leaves on
 * one channel however many they are, and loses, duplicates or reorders none.
 *
 * @author Celeriac team
 */
@RealServices
class ErrorQueueSelectionTests {

	private static final int MESSAGES = 10_000;

	private final CachingConnectionFactory connectionFactory;

	private final AtomicInteger takes = new AtomicInteger();

	private final Map<Integer, Runnable> atTake = new ConcurrentHashMap<>();

	private final RabbitBroker broker;

	private final Topology topology;

	private final ErrorQueueService operations;

	private final String errorQueue;

	ErrorQueueSelectionTests(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.connectionFactory = new CachingConnectionFactory(rabbit.host(), rabbit.port());
		this.connectionFactory.setUsername(rabbit.username());
		this.connectionFactory.setPassword(rabbit.password());
		this.connectionFactory.setVirtualHost(rabbit.virtualHost());
		this.broker = new RabbitBroker(this.connectionFactory, Duration.ofSeconds(10)) {

			@Override
			public QueueReader reader(String queue) {
				return new CountingReader(super.reader(queue));
			}

		};
		String prefix = isolation.queueNamePrefix() + System.nanoTime() + "-";
		this.topology = new Topology(isolation.exchange("tasks" + System.nanoTime()), prefix, null, Set.of("bulk"),
				QueueType.CLASSIC, ".error");
		this.topology.bindings().forEach((binding) -> isolation.removeAfterwards(binding.queue()));
		this.topology.errorQueueNames().forEach(isolation::removeAfterwards);
		this.operations = new ErrorQueueService(this.broker, this.topology, Duration.ofSeconds(10));
		this.errorQueue = this.topology.errorQueueName(this.topology.queueName("bulk"));
	}

	@BeforeEach
	void fillTheErrorQueue() throws Exception {
		this.broker.declare(this.topology);
		try (Connection connection = this.connectionFactory.createConnection()) {
			Channel channel = connection.createChannel(false);
			channel.confirmSelect();
			for (int i = 0; i < MESSAGES; i++) {
				Map<String, Object> headers = new HashMap<>();
				headers.put("id", id(i));
				headers.put("task", "bulk.work");
				headers.put(ErrorHeaders.KIND, "TASK_FAILED");
				headers.put(ErrorHeaders.REASON, "failed in the test");
				headers.put(ErrorHeaders.ROUTING_KEY, "bulk");
				AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
					.contentEncoding("utf-8")
					.correlationId(id(i))
					.deliveryMode(2)
					.headers(headers)
					.build();
				channel.basicPublish("", this.errorQueue, properties, "[[], {}, {}]".getBytes(StandardCharsets.UTF_8));
			}
			channel.waitForConfirmsOrDie(60_000);
			channel.close();
		}
		assertThat(this.broker.messageCount(this.errorQueue)).isEqualTo(MESSAGES);
		this.takes.set(0);
	}

	@AfterEach
	void close() {
		this.broker.destroy();
		this.connectionFactory.destroy();
	}

	@Test
	void discardingOneMessageStopsOnceItIsFoundAndKeepsTheOrder() {
		assertThat(this.operations.discard(this.errorQueue, List.of(id(5)))).isOne();
		assertThat(this.takes.get()).isEqualTo(6);
		awaitErrorQueueHolds(MESSAGES - 1);
		assertThat(this.operations.list(this.errorQueue, 7)).extracting((message) -> message.taskId())
			.containsExactly(id(0), id(1), id(2), id(3), id(4), id(6), id(7));
	}

	@Test
	void requeueingASelectionDeepInTheQueueHoldsOneChannelAndKeepsEveryOtherMessageInItsPlace() throws Exception {
		int consumerPort = this.connectionFactory.createConnection().getLocalPort();
		int[] channelsWhileHolding = new int[1];
		// observed while the pass holds nearly nine thousand messages it leaves
		this.atTake.put(9_000, () -> channelsWhileHolding[0] = RabbitChannels.openOn(consumerPort));
		assertThat(this.operations.requeue(this.errorQueue, List.of(id(3), id(9_000)))).isEqualTo(2);
		assertThat(this.takes.get()).isEqualTo(9_001);
		assertThat(channelsWhileHolding[0]).isBetween(1, 4);
		awaitErrorQueueHolds(MESSAGES - 2);
		String serviceQueue = this.topology.queueName("bulk");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.broker.messageCount(serviceQueue)).isEqualTo(2));
		List<String> requeued = new ArrayList<>();
		for (Delivery delivery; (delivery = this.broker.get(serviceQueue)) != null;) {
			requeued.add(delivery.message().correlationId());
			assertThat(delivery.message().headers()).doesNotContainKey(ErrorHeaders.KIND);
			delivery.ack();
		}
		assertThat(requeued).containsExactlyInAnyOrder(id(3), id(9_000));
		List<String> left = new ArrayList<>();
		for (int i = 0; i < MESSAGES; i++) {
			if (i != 3 && i != 9_000) {
				left.add(id(i));
			}
		}
		assertThat(drainErrorQueue()).containsExactlyElementsOf(left);
	}

	@Test
	void discardingEverythingEmptiesAQueueOfTenThousand() {
		assertThat(this.operations.discardAll(this.errorQueue)).isEqualTo(MESSAGES);
		assertThat(this.broker.messageCount(this.errorQueue)).isZero();
	}

	@Test
	void requeueingTheFirstStopsAtTheLimitAndDiscardingTheFirstEmptiesTenThousand() {
		assertThat(this.operations.requeueFirst(this.errorQueue, 3)).isEqualTo(3);
		assertThat(this.takes.get()).isEqualTo(3);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.broker.messageCount(this.topology.queueName("bulk"))).isEqualTo(3));
		assertThat(this.operations.discardFirst(this.errorQueue, MESSAGES)).isEqualTo(MESSAGES - 3);
		assertThat(this.broker.messageCount(this.errorQueue)).isZero();
	}

	/**
	 * Takes every message of the error queue on one channel, in order.
	 */
	private List<String> drainErrorQueue() throws Exception {
		List<String> ids = new ArrayList<>();
		try (Connection connection = this.connectionFactory.createConnection()) {
			Channel channel = connection.createChannel(false);
			for (GetResponse response; (response = channel.basicGet(this.errorQueue, true)) != null;) {
				ids.add(response.getProps().getCorrelationId());
			}
			channel.close();
		}
		return ids;
	}

	private void awaitErrorQueueHolds(int count) {
		// the messages given back are rejected asynchronously: they are ready again soon
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.broker.messageCount(this.errorQueue)).isEqualTo(count));
	}

	private static String id(int i) {
		return "task-" + i;
	}

	/**
	 * Counts the messages the service takes, and runs what {@code atTake} says at a take.
	 */
	private final class CountingReader implements QueueReader {

		private final QueueReader reader;

		CountingReader(QueueReader reader) {
			this.reader = reader;
		}

		@Override
		public @Nullable Delivery next() {
			Runnable observation = ErrorQueueSelectionTests.this.atTake
				.remove(ErrorQueueSelectionTests.this.takes.incrementAndGet());
			if (observation != null) {
				observation.run();
			}
			return this.reader.next();
		}

		@Override
		public int holdLimit() {
			return this.reader.holdLimit();
		}

		@Override
		public void close() {
			this.reader.close();
		}

	}

}

package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker contract on Redis, and what only the Redis broker does: visibility
 * deadlines, priority bands, and the in-flight message of a killed worker coming back.
 *
 * @author Celeriac team
 */
@RealServices
class RedisBrokerTests extends BrokerContractTests {

	private final RedisEndpoint endpoint;

	private final ServiceIsolation isolation;

	private final RedisTestBroker redis;

	RedisBrokerTests(RedisEndpoint endpoint, ServiceIsolation isolation) {
		this.endpoint = endpoint;
		this.isolation = isolation;
		this.redis = new RedisTestBroker(endpoint, isolation);
	}

	@AfterEach
	void disconnect() {
		this.redis.close();
	}

	@Override
	protected Broker broker() {
		return this.redis.broker();
	}

	@Override
	protected Topology newTopology(String... services) {
		return this.redis.newTopology(services);
	}

	@Test
	void anUnsettledDeliveryWhoseDeadlinePassedComesBackMarkedRedelivered() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", message("abandoned"));
		Delivery first = take(queue);
		assertThat(first.redelivered()).isFalse();
		assertThat(broker().stats(queue)).isEqualTo(new QueueStats(0, 1, 0));
		Delivery again = take(queue);
		assertThat(again.message().body()).isEqualTo("abandoned".getBytes());
		assertThat(again.redelivered()).isTrue();
		again.ack();
		assertThat(broker().stats(queue)).isEqualTo(QueueStats.EMPTY);
	}

	@Test
	void aTouchedDeliveryOutlivesTheVisibilityTimeout() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", message("long task"));
		Delivery delivery = take(queue);
		delivery.touch(Duration.ofMinutes(1));
		await().during(RedisTestBroker.VISIBILITY_TIMEOUT.multipliedBy(2))
			.atMost(WAIT)
			.until(() -> broker().get(queue) == null);
		assertThat(broker().stats(queue)).isEqualTo(new QueueStats(0, 1, 0));
		delivery.ack();
	}

	@Test
	void higherPrioritiesAreServedFirstHighMediumMain() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", withPriority("main", 0));
		publish(topology, "reports", withPriority("medium", 5));
		publish(topology, "reports", withPriority("high", 9));
		publish(topology, "reports", withPriority("main again", 3));
		List<String> order = new java.util.ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Delivery delivery = take(queue);
			order.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
			delivery.ack();
		}
		assertThat(order).containsExactly("high", "medium", "main", "main again");
	}

	@Test
	void aRequeuedDeliveryGoesBackToTheHeadOfItsQueue() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", message("first"));
		publish(topology, "reports", message("second"));
		take(queue).reject(true);
		Delivery again = take(queue);
		assertThat(again.message().body()).isEqualTo("first".getBytes());
		assertThat(again.redelivered()).isTrue();
		again.ack();
		take(queue).ack();
	}

	@Test
	void theInFlightMessageOfAKilledWorkerGoesToAnotherConsumer() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", message("survives its worker"));
		try (ChildProcess worker = JavaProcess.of(RedisConsumerMain.class)
			.arguments(this.endpoint.host(), Integer.toString(this.endpoint.port()), this.isolation.redisKeyPrefix(),
					queue, Long.toString(RedisTestBroker.VISIBILITY_TIMEOUT.toMillis()))
			.start()) {
			assertThat(worker.awaitLine("holding survives its worker", Duration.ofSeconds(30))).isNotNull();
			// the live worker's heartbeat keeps the message past its visibility timeout
			await().during(RedisTestBroker.VISIBILITY_TIMEOUT.multipliedBy(2))
				.atMost(WAIT)
				.until(() -> broker().stats(queue).equals(new QueueStats(0, 1, 0)));
			worker.kill();
		}
		Delivery again = take(queue);
		assertThat(again.message().body()).isEqualTo("survives its worker".getBytes());
		assertThat(again.redelivered()).isTrue();
		again.ack();
		assertThat(broker().stats(queue)).isEqualTo(QueueStats.EMPTY);
	}

	@Test
	void aKeyPrefixWithHashTagBracesIsRefused() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisBroker(this.redis.connectionFactory(), "app{x}:"))
			.withMessageContaining("must not contain '{' or '}'");
	}

	private static WireMessage withPriority(String body, int priority) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "text/plain", "utf-8", Map.of(), null, null,
				priority, true, null);
	}

}

package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueStats;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker contract on Redis, and what only the Redis broker does: visibility
 * deadlines, kombu's layout and priority steps, and the in-flight message of a killed
 * worker coming back.
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
		String queue = queueHolding("abandoned");
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
	void aDeliveryRejectedWithRequeueIsReadyAgainAtOnceNotAfterTheVisibilityTimeout() {
		String queue = queueHolding("given back");
		Delivery delivery = take(queue);
		delivery.reject(true);
		// stats restore nothing: only a message given back is ready
		assertThat(broker().stats(queue)).isEqualTo(new QueueStats(1, 0, 0));
		Delivery again = take(queue);
		assertThat(again.redelivered()).isTrue();
		again.ack();
	}

	@Test
	void aTouchedDeliveryOutlivesTheVisibilityTimeout() {
		String queue = queueHolding("long task");
		Delivery delivery = take(queue);
		delivery.touch(Duration.ofMinutes(1));
		await().during(RedisTestBroker.VISIBILITY_TIMEOUT.multipliedBy(2))
			.atMost(WAIT)
			.until(() -> broker().get(queue) == null);
		assertThat(broker().stats(queue)).isEqualTo(new QueueStats(0, 1, 0));
		delivery.ack();
	}

	@Test
	void lowerPriorityNumbersAreServedFirstAsCeleryOnRedisServesThem() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", withPriority("step 9", 9));
		publish(topology, "reports", withPriority("step 3", 5));
		publish(topology, "reports", withPriority("step 0", 0));
		publish(topology, "reports", withPriority("step 0 again", 2));
		List<String> order = new java.util.ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Delivery delivery = take(queue);
			order.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
			delivery.ack();
		}
		assertThat(order).containsExactly("step 0", "step 0 again", "step 3", "step 9");
	}

	@Test
	void aRequeuedDeliveryGoesToTheBackOfItsQueueAsKombuRequeues() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", message("first"));
		publish(topology, "reports", message("second"));
		take(queue).reject(true);
		Delivery next = take(queue);
		assertThat(next.message().body()).isEqualTo("second".getBytes());
		next.ack();
		Delivery again = take(queue);
		assertThat(again.message().body()).isEqualTo("first".getBytes());
		assertThat(again.redelivered()).isTrue();
		again.ack();
	}

	@Test
	void theInFlightMessageOfAKilledWorkerGoesToAnotherConsumer() {
		String queue = queueHolding("survives its worker");
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
	void messagesBindingsAndUnackedMessagesAreInKombusLayout() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		String prefix = this.isolation.redisKeyPrefix();
		StringRedisTemplate redis = new StringRedisTemplate(this.redis.connectionFactory());
		assertThat(redis.opsForSet().members(prefix + "_kombu.binding." + topology.exchange())).contains(
				"reports\u0006\u0016^reports$\u0006\u0016" + queue,
				"#\u0006\u0016^.*?$\u0006\u0016" + topology.monitorQueueName());
		publish(topology, "reports", withPriority("urgent", 0));
		publish(topology, "reports", withPriority("later", 7));
		assertThat(redis.opsForList().size(prefix + queue)).isEqualTo(1);
		assertThat(redis.opsForList().size(prefix + queue + "\u0006\u00166")).isEqualTo(1);
		JsonNode envelope = JsonMapper.shared().readTree(redis.opsForList().index(prefix + queue, 0));
		assertThat(new String(Base64.getDecoder().decode(envelope.path("body").asString()), StandardCharsets.UTF_8))
			.isEqualTo("urgent");
		String tag = envelope.path("properties").path("delivery_tag").asString();
		Delivery delivery = take(queue);
		assertThat(redis.opsForList().size(prefix + queue)).isZero();
		JsonNode unacked = JsonMapper.shared()
			.readTree(redis.<String, String>opsForHash().get(prefix + "unacked", tag));
		assertThat(unacked.path(0)).isEqualTo(envelope);
		assertThat(unacked.path(1).asString()).isEqualTo(topology.exchange());
		assertThat(unacked.path(2).asString()).isEqualTo("reports");
		assertThat(redis.opsForZSet().score(prefix + "unacked_index", tag)).isNotNull();
		delivery.ack();
		assertThat(redis.opsForHash().hasKey(prefix + "unacked", tag)).isFalse();
		assertThat(redis.opsForZSet().score(prefix + "unacked_index", tag)).isNull();
		take(queue).ack();
	}

	private static WireMessage withPriority(String body, int priority) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "text/plain", "utf-8", Map.of(), null, null,
				priority, true, null);
	}

}

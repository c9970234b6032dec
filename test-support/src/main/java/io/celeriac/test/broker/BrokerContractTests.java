package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueReader;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.Subscription;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The contract of a {@link Broker}: Celery-style routing on the topology, messages that
 * keep every header and property, and deliveries that stay with the broker until settled.
 * Each backend's test extends it.
 *
 * @author Celeriac team
 */
public abstract class BrokerContractTests {

	/**
	 * How long a test waits for something the broker does asynchronously.
	 */
	protected static final Duration WAIT = Duration.ofSeconds(10);

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

	@Test
	void aTaskReachesItsServiceQueueAndTheMonitorQueue() {
		Topology topology = newTopology("reports", "exports");
		broker().declare(topology);
		publish(topology, "reports", message("one"));
		assertThat(take(topology.queueName("reports"))).isNotNull();
		assertThat(take(topology.monitorQueueName())).isNotNull();
		assertThat(broker().get(topology.queueName("exports"))).isNull();
		assertThat(broker().get(topology.queueName("celery"))).isNull();
	}

	@Test
	void aRoutingKeyWithoutServiceQueueStillReachesTheMonitorQueue() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		publish(topology, "nobody", message("lost?"));
		Delivery delivery = take(topology.monitorQueueName());
		assertThat(new String(delivery.message().body(), StandardCharsets.UTF_8)).isEqualTo("lost?");
		delivery.ack();
	}

	@Test
	void aDirectExchangeRoutesByEqualKeyOnly() {
		Topology base = newTopology("reports", "reports.daily");
		Topology topology = new Topology(base.exchange(), base.queueNamePrefix(), null, base.services(),
				base.queueType(), base.errorQueueSuffix(), base.maxPriority(), ExchangeType.DIRECT);
		broker().declare(topology);
		publish(topology, "reports", message("direct"));
		assertThat(take(topology.queueName("reports")).message().body()).isEqualTo("direct".getBytes());
		assertThat(broker().get(topology.queueName("reports.daily"))).isNull();
		assertThat(broker().get(topology.queueName("celery"))).isNull();
	}

	@Test
	void aFanoutExchangeRoutesEveryMessageToEveryQueue() {
		Topology topology = newTopology("reports", "exports").withExchangeType(ExchangeType.FANOUT);
		broker().declare(topology);
		publish(topology, "reports", message("everyone"));
		for (String queue : List.of(topology.queueName("reports"), topology.queueName("exports"),
				topology.queueName("celery"), topology.monitorQueueName())) {
			assertThat(take(queue).message().body()).as(queue).isEqualTo("everyone".getBytes());
		}
	}

	@Test
	void aTopicExchangeMatchesPatterns() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		publish(topology, "reports.daily", message("pattern"));
		assertThat(take(topology.monitorQueueName()).message().body()).isEqualTo("pattern".getBytes());
		assertThat(broker().get(topology.queueName("reports"))).isNull();
	}

	@Test
	void declaringCreatesTheQueuesAndTheirErrorQueues() {
		Topology topology = newTopology("reports");
		assertThat(broker().queueExists(topology.queueName("reports"))).isFalse();
		broker().declare(topology);
		assertThat(broker().queueExists(topology.queueName("reports"))).isTrue();
		assertThat(broker().queueExists(topology.errorQueueName(topology.queueName("reports")))).isTrue();
		assertThat(broker().queueExists(topology.monitorQueueName())).isTrue();
		assertThat(broker().queueExists(topology.queueName("nobody"))).isFalse();
	}

	@Test
	void publishingToAnExchangeThatDoesNotExistFailsAndLaterPublishesWork() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		org.assertj.core.api.Assertions
			.assertThatThrownBy(
					() -> broker().publish(topology.exchange() + "-missing", "reports", message("x")).join())
			.hasCauseInstanceOf(io.celeriac.broker.PublishFailedException.class);
		publish(topology, "reports", message("after"));
		assertThat(take(topology.queueName("reports")).message().body()).isEqualTo("after".getBytes());
	}

	@Test
	void declaringTwiceChangesNothing() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		publish(topology, "reports", message("kept"));
		broker().declare(topology);
		assertThat(take(topology.queueName("reports")).message().body()).isEqualTo("kept".getBytes());
	}

	@Test
	void aMessageKeepsItsBodyHeadersAndProperties() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "java");
		headers.put("task", "reports.generate");
		headers.put("shadow", null);
		headers.put("retries", 3);
		headers.put("timelimit", Arrays.asList(null, null));
		headers.put("ignore_result", true);
		headers.put("x-tenant", "acme ✓");
		byte[] body = "[[1], {\"a\": \"ü\"}, {}]".getBytes(StandardCharsets.UTF_8);
		WireMessage sent = new WireMessage(body, "application/json", "utf-8", headers, "id-1", "reply-1", 5, true,
				null);
		publish(topology, "reports", sent);
		Delivery delivery = take(topology.queueName("reports"));
		WireMessage received = delivery.message();
		assertThat(received.body()).isEqualTo(body);
		assertThat(received.contentType()).isEqualTo("application/json");
		assertThat(received.contentEncoding()).isEqualTo("utf-8");
		assertThat(received.correlationId()).isEqualTo("id-1");
		assertThat(received.replyTo()).isEqualTo("reply-1");
		assertThat(received.priority()).isEqualTo(5);
		assertThat(received.persistent()).isTrue();
		headers.forEach((name, value) -> {
			assertThat(received.headers()).as(name).containsKey(name);
			assertThat(normalize(received.headers().get(name))).as(name).isEqualTo(value);
		});
		assertThat(delivery.routingKey()).isEqualTo("reports");
		assertThat(delivery.queue()).isEqualTo(topology.queueName("reports"));
		assertThat(delivery.redelivered()).isFalse();
		delivery.ack();
	}

	@Test
	void theDefaultExchangeDeliversToTheQueueNamed() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String errorQueue = topology.errorQueueName(topology.queueName("reports"));
		broker().publish(Broker.DEFAULT_EXCHANGE, errorQueue, message("moved")).join();
		assertThat(take(errorQueue).message().body()).isEqualTo("moved".getBytes());
		assertThat(broker().get(topology.monitorQueueName())).isNull();
	}

	@Test
	void anAcknowledgedDeliveryIsGone() throws InterruptedException {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		List<String> seen = new CopyOnWriteArrayList<>();
		try (Subscription subscription = broker().consume(queue, new ConsumerSettings(1, 1), (delivery) -> {
			seen.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
			delivery.ack();
		})) {
			publish(topology, "reports", message("a"));
			publish(topology, "reports", message("b"));
			await().atMost(WAIT).until(() -> seen.size() == 2);
			assertThat(subscription.isRunning()).isTrue();
		}
		assertThat(seen).containsExactly("a", "b");
		assertThat(broker().get(queue)).isNull();
	}

	@Test
	void aRejectedDeliveryWithRequeueComesBackMarkedRedelivered() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		List<Boolean> redelivered = new CopyOnWriteArrayList<>();
		try (Subscription subscription = broker().consume(queue, new ConsumerSettings(1, 1), (delivery) -> {
			redelivered.add(delivery.redelivered());
			if (redelivered.size() == 1) {
				delivery.reject(true);
			}
			else {
				delivery.ack();
			}
		})) {
			publish(topology, "reports", message("again"));
			await().atMost(WAIT).until(() -> redelivered.size() == 2);
		}
		assertThat(redelivered).containsExactly(false, true);
	}

	@Test
	void aHandlerThatThrowsGetsTheDeliveryBack() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		AtomicInteger attempts = new AtomicInteger();
		try (Subscription subscription = broker().consume(queue, new ConsumerSettings(1, 1), (delivery) -> {
			if (attempts.incrementAndGet() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
			delivery.ack();
		})) {
			publish(topology, "reports", message("retried"));
			await().atMost(WAIT).until(() -> attempts.get() == 2);
		}
		assertThat(broker().get(queue)).isNull();
	}

	@Test
	void aDeliveryUnsettledWhenTheSubscriptionStopsGoesBackToTheQueue() throws InterruptedException {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		CountDownLatch received = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Subscription subscription = broker().consume(queue, new ConsumerSettings(1, 1), (delivery) -> {
			received.countDown();
			awaitQuietly(release);
		});
		publish(topology, "reports", message("in hand"));
		assertThat(received.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		subscription.stop(Duration.ofMillis(100));
		release.countDown();
		Delivery again = take(queue);
		assertThat(again.message().body()).isEqualTo("in hand".getBytes());
		assertThat(again.redelivered()).isTrue();
		again.ack();
	}

	@Test
	void eachDeliveryOfAMessageGivenBackIsCounted() {
		String queue = queueHolding("counted");
		for (int expected = 1; expected <= 3; expected++) {
			Delivery delivery = take(queue);
			if (countsDeliveries()) {
				assertThat(delivery.deliveryCount()).hasValue(expected);
			}
			else {
				assertThat(delivery.deliveryCount()).satisfiesAnyOf((count) -> assertThat(count).isEmpty(),
						(count) -> assertThat(count).hasValue(1));
			}
			delivery.reject(true);
		}
		take(queue).ack();
	}

	/**
	 * Tells whether the broker, on the topologies of {@link #newTopology(String...)},
	 * counts the deliveries of a message ({@link Delivery#deliveryCount()}); one that
	 * does not may still count a first delivery {@code 1}.
	 * @return {@code true} by default
	 */
	protected boolean countsDeliveries() {
		return true;
	}

	@Test
	void consumersRunInParallelUpToTheConcurrency() throws Exception {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		CyclicBarrier together = new CyclicBarrier(3);
		List<String> met = new CopyOnWriteArrayList<>();
		try (Subscription subscription = broker().consume(queue, new ConsumerSettings(3, 1), (delivery) -> {
			try {
				together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				met.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				delivery.ack();
			}
		})) {
			for (String body : List.of("1", "2", "3")) {
				publish(topology, "reports", message(body));
			}
			await().atMost(WAIT).until(() -> met.size() == 3);
		}
		assertThat(met).containsExactlyInAnyOrder("1", "2", "3");
	}

	@Test
	void messageCountCountsReadyMessages() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		List<Delivery> taken = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			publish(topology, "reports", message("m" + i));
		}
		await().atMost(WAIT).until(() -> broker().messageCount(queue) == 3);
		taken.add(take(queue));
		await().atMost(WAIT).until(() -> broker().messageCount(queue) == 2);
		taken.forEach(Delivery::ack);
	}

	@Test
	void statsCountReadyAndInFlightMessages() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		assertThat(broker().stats(queue)).isEqualTo(new QueueStats(0, 0, 0));
		for (int i = 0; i < 3; i++) {
			publish(topology, "reports", message("m" + i));
		}
		await().atMost(WAIT).until(() -> broker().stats(queue).ready() == 3);
		Delivery taken = take(queue);
		await().atMost(WAIT).until(() -> broker().stats(queue).equals(new QueueStats(2, 1, 0)));
		taken.ack();
		await().atMost(WAIT).until(() -> broker().stats(queue).equals(new QueueStats(2, 0, 0)));
	}

	@Test
	void purgeRemovesReadyMessagesAndKeepsThoseInFlight() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", message("in hand"));
		Delivery inHand = take(queue);
		publish(topology, "reports", message("a"));
		publish(topology, "reports", message("b"));
		await().atMost(WAIT).until(() -> broker().messageCount(queue) == 2);
		assertThat(broker().purge(queue)).isEqualTo(2);
		assertThat(broker().messageCount(queue)).isZero();
		assertThat(broker().get(queue)).isNull();
		inHand.reject(true);
		Delivery back = take(queue);
		assertThat(back.message().body()).isEqualTo("in hand".getBytes());
		back.ack();
	}

	@Test
	void aTouchedDeliveryStaysWithItsConsumerUntilSettled() {
		String queue = queueHolding("long task");
		Delivery delivery = take(queue);
		delivery.touch(Duration.ofMinutes(5));
		assertThat(broker().stats(queue).inFlight()).isEqualTo(1);
		assertThat(broker().get(queue)).isNull();
		delivery.ack();
		delivery.touch(Duration.ofMinutes(5));
		await().atMost(WAIT).until(() -> broker().stats(queue).equals(new QueueStats(0, 0, 0)));
	}

	@Test
	void aDeliveryIsTouchedForAPositiveDurationOnly() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		publish(topology, "reports", message("m"));
		Delivery delivery = take(topology.queueName("reports"));
		assertThatIllegalArgumentException().isThrownBy(() -> delivery.touch(Duration.ZERO))
			.withMessageContaining("positive");
		delivery.ack();
	}

	@Test
	void aReaderGivesBackWhatItLeftWhenItClosesAndNotWhatWasSettled() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		for (String body : List.of("a", "b", "c", "d")) {
			publish(topology, "reports", message(body));
		}
		await().atMost(WAIT).until(() -> broker().messageCount(queue) == 4);
		try (QueueReader reader = broker().reader(queue)) {
			List<String> taken = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				Delivery[] next = new Delivery[1];
				await().atMost(WAIT).until(() -> (next[0] = reader.next()) != null);
				Delivery delivery = next[0];
				String body = new String(delivery.message().body(), StandardCharsets.UTF_8);
				taken.add(body);
				if (body.equals("b") || body.equals("d")) {
					delivery.ack();
				}
			}
			assertThat(taken).containsExactlyInAnyOrder("a", "b", "c", "d");
			assertThat(reader.next()).isNull();
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(broker().stats(queue)).isEqualTo(new QueueStats(0, 2, 0)));
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(broker().stats(queue)).isEqualTo(new QueueStats(2, 0, 0)));
		List<String> left = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Delivery delivery = take(queue);
			left.add(new String(delivery.message().body(), StandardCharsets.UTF_8));
			delivery.ack();
		}
		assertThat(left).containsExactlyInAnyOrder("a", "c");
		assertThat(broker().get(queue)).isNull();
	}

	@Test
	void aMissingQueueHasNoMessages() {
		Topology topology = newTopology("reports");
		assertThat(broker().stats(topology.queueName("nobody"))).isEqualTo(QueueStats.EMPTY);
		assertThat(broker().purge(topology.queueName("nobody"))).isZero();
	}

	/**
	 * Publishes to the topology's exchange and waits for the broker's confirmation.
	 * @param topology the topology
	 * @param routingKey the routing key
	 * @param message the message
	 */
	protected void publish(Topology topology, String routingKey, WireMessage message) {
		broker().publish(topology.exchange(), routingKey, message).join();
	}

	/**
	 * Declares a new topology with one service, {@code reports}, and publishes one
	 * message to its queue.
	 * @param body the message's body text
	 * @return the queue's full name
	 */
	protected String queueHolding(String body) {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		publish(topology, "reports", message(body));
		return topology.queueName("reports");
	}

	/**
	 * Takes a message from a queue, waiting for one to arrive.
	 * @param queue the queue
	 * @return the delivery
	 */
	protected Delivery take(@Nullable String queue) {
		assertThat(queue).isNotNull();
		Delivery[] found = new Delivery[1];
		await().atMost(WAIT).until(() -> (found[0] = broker().get(queue)) != null);
		return found[0];
	}

	/**
	 * Returns a plain persistent message.
	 * @param body the body text
	 * @return the message
	 */
	protected static WireMessage message(String body) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "text/plain", "utf-8", Map.of(), null, null, 0,
				true, null);
	}

	private static @Nullable Object normalize(@Nullable Object value) {
		if (value instanceof List<?> list) {
			List<@Nullable Object> copy = new ArrayList<>();
			list.forEach((element) -> copy.add(normalize(element)));
			return copy;
		}
		if (value instanceof Number number && !(value instanceof Integer)) {
			return number.intValue();
		}
		return (value != null && !(value instanceof Number) && !(value instanceof Boolean)) ? value.toString() : value;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

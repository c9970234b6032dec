package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The broker contract on Amazon SQS (ElasticMQ inside the test JVM), and what only the
 * SQS broker does: kombu's message envelope and queue names, visibility timeouts, native
 * delays, and the in-flight message of a killed worker coming back.
 *
 * @author Celeriac team
 */
@RealServices
class SqsBrokerTests extends BrokerContractTests {

	private final SqsEndpoint endpoint;

	private final SqsTestBroker sqs;

	SqsBrokerTests(SqsEndpoint endpoint, ServiceIsolation isolation) {
		this.endpoint = endpoint;
		this.sqs = new SqsTestBroker(endpoint, isolation);
	}

	@AfterEach
	void disconnect() {
		this.sqs.close();
	}

	@Override
	protected Broker broker() {
		return this.sqs.broker();
	}

	@Override
	protected Topology newTopology(String... services) {
		return this.sqs.newTopology(services);
	}

	@Test
	void queueNamesAreTranslatedAsKombuDoes() {
		assertThat(SqsBroker.sqsQueueName("dev-reports")).isEqualTo("dev-reports");
		assertThat(SqsBroker.sqsQueueName("dev-reports.error")).isEqualTo("dev-reports-error");
		assertThat(SqsBroker.sqsQueueName("dev-platform.fifo")).isEqualTo("dev-platform.fifo");
		assertThat(SqsBroker.sqsQueueName("a:b/c.fifo.x")).isEqualTo("a_b_c-fifo-x");
	}

	@Test
	void theMonitorQueueNamedFifoIsAnSqsFifoQueue() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String url = this.sqs.client()
			.getQueueUrl((request) -> request.queueName(SqsBroker.sqsQueueName(topology.monitorQueueName())))
			.queueUrl();
		Map<String, String> attributes = this.sqs.client()
			.getQueueAttributes((request) -> request.queueUrl(url).attributeNamesWithStrings("FifoQueue"))
			.attributesAsStrings();
		assertThat(attributes).containsEntry("FifoQueue", "true");
	}

	@Test
	void aMessageOnSqsIsBase64OfKombusJsonEnvelope() throws Exception {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("task", "reports.generate");
		headers.put("id", "id-1");
		WireMessage sent = new WireMessage("[[2, 3], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json",
				"utf-8", headers, "id-1", null, 0, true, null);
		publish(topology, "reports", sent);
		Message raw = receiveRaw(topology.queueName("reports"));
		Map<String, Object> envelope = JsonMapper.builder()
			.build()
			.readValue(Base64.getDecoder().decode(raw.body()),
					new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
					});
		assertThat(envelope).containsEntry("content-type", "application/json")
			.containsEntry("content-encoding", "utf-8")
			.containsEntry("headers", headers);
		assertThat(Base64.getDecoder().decode((String) envelope.get("body"))).isEqualTo(sent.body());
		@SuppressWarnings("unchecked")
		Map<String, Object> properties = (Map<String, Object>) envelope.get("properties");
		assertThat(properties).containsEntry("body_encoding", "base64")
			.containsEntry("correlation_id", "id-1")
			.containsEntry("delivery_mode", 2)
			.containsEntry("priority", 0)
			.containsKey("delivery_tag")
			.containsEntry("delivery_info", Map.of("exchange", topology.exchange(), "routing_key", "reports"));
	}

	@Test
	void aKombuEnvelopeSentAsPlainJsonIsReadToo() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		String url = this.sqs.client()
			.getQueueUrl((request) -> request.queueName(SqsBroker.sqsQueueName(queue)))
			.queueUrl();
		String json = """
				{"body": "W1sxXSwge30sIHt9XQ==", "content-encoding": "utf-8", "content-type": "application/json",
				 "headers": {"lang": "py", "task": "reports.generate", "id": "py-1", "retries": 0},
				 "properties": {"correlation_id": "py-1", "reply_to": "r", "delivery_mode": 2,
				  "delivery_info": {"exchange": "task_exchange", "routing_key": "reports"}, "priority": 0,
				  "body_encoding": "base64", "delivery_tag": "t"}}""";
		this.sqs.client().sendMessage((request) -> request.queueUrl(url).messageBody(json));
		Delivery delivery = take(queue);
		assertThat(new String(delivery.message().body(), StandardCharsets.UTF_8)).isEqualTo("[[1], {}, {}]");
		assertThat(delivery.message().headers()).containsEntry("task", "reports.generate").containsEntry("lang", "py");
		assertThat(delivery.message().correlationId()).isEqualTo("py-1");
		assertThat(delivery.routingKey()).isEqualTo("reports");
		delivery.ack();
	}

	@Test
	void anUnsettledDeliveryWhoseVisibilityTimeoutPassedComesBackMarkedRedelivered() {
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
	void aTouchedDeliveryOutlivesTheVisibilityTimeout() {
		String queue = queueHolding("long task");
		Delivery delivery = take(queue);
		delivery.touch(Duration.ofMinutes(1));
		await().during(SqsTestBroker.VISIBILITY_TIMEOUT.multipliedBy(2))
			.atMost(WAIT)
			.until(() -> broker().get(queue) == null);
		assertThat(broker().stats(queue)).isEqualTo(new QueueStats(0, 1, 0));
		delivery.ack();
	}

	@Test
	void aTaskWithAnEtaAheadWaitsInSqsAsDelayed() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", withEta("in a minute", Instant.now().plusSeconds(60)));
		assertThat(broker().stats(queue)).isEqualTo(new QueueStats(0, 0, 1));
		assertThat(broker().get(queue)).isNull();
		publish(topology, "reports", withEta("soon", Instant.now().plusSeconds(2)));
		Delivery due = take(queue);
		assertThat(due.message().body()).isEqualTo("soon".getBytes());
		due.ack();
		assertThat(broker().stats(queue)).isEqualTo(new QueueStats(0, 0, 1));
	}

	private static WireMessage withEta(String body, Instant eta) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "text/plain", "utf-8",
				Map.of("eta", CeleryTime.format(eta)), null, null, 0, true, null);
	}

	@Test
	void anExpiredMessageIsDroppedWhenTaken() {
		Topology topology = newTopology("reports");
		broker().declare(topology);
		String queue = topology.queueName("reports");
		publish(topology, "reports", new WireMessage("stale".getBytes(StandardCharsets.UTF_8), "text/plain", "utf-8",
				Map.of(), null, null, 0, true, "1"));
		publish(topology, "reports", message("fresh"));
		await().atMost(WAIT).until(() -> broker().stats(queue).ready() == 2);
		Delivery delivery = take(queue);
		assertThat(delivery.message().body()).isEqualTo("fresh".getBytes());
		delivery.ack();
		assertThat(broker().stats(queue)).isEqualTo(QueueStats.EMPTY);
	}

	@Test
	void withoutCreateQueuesDeclaringMissingQueuesFailsNamingThem() {
		SqsBroker strict = new SqsBroker(this.sqs.client(), SqsTestBroker.VISIBILITY_TIMEOUT, Duration.ofSeconds(1),
				false);
		Topology topology = newTopology("reports");
		assertThatIllegalStateException().isThrownBy(() -> strict.declare(topology))
			.withMessageContaining(SqsBroker.sqsQueueName(topology.queueName("reports")))
			.withMessageContaining("celeriac.broker.sqs.create-queues");
		broker().declare(topology);
		strict.declare(topology);
		strict.publish(topology.exchange(), "reports", message("checked")).join();
		assertThat(take(topology.queueName("reports")).message().body()).isEqualTo("checked".getBytes());
	}

	@Test
	void theInFlightMessageOfAKilledWorkerRunsAgain() {
		String queue = queueHolding("survives its worker");
		try (ChildProcess worker = JavaProcess.of(SqsConsumerMain.class)
			.arguments(this.endpoint.url(), this.endpoint.region(), queue,
					Long.toString(SqsTestBroker.VISIBILITY_TIMEOUT.getSeconds()))
			.start()) {
			assertThat(worker.awaitLine("holding survives its worker", Duration.ofSeconds(30))).isNotNull();
			// the live worker's heartbeat keeps the message past its visibility timeout
			await().during(SqsTestBroker.VISIBILITY_TIMEOUT.multipliedBy(2))
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

	private Message receiveRaw(String queue) {
		String url = this.sqs.client()
			.getQueueUrl((request) -> request.queueName(SqsBroker.sqsQueueName(queue)))
			.queueUrl();
		Message[] found = new Message[1];
		await().atMost(WAIT).until(() -> {
			List<Message> messages = this.sqs.client().receiveMessage((request) -> request.queueUrl(url)).messages();
			found[0] = messages.isEmpty() ? null : messages.get(0);
			return found[0] != null;
		});
		return found[0];
	}

}

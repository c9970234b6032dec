package io.celeriac.test.errorqueue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.errorqueue.ErrorQueuePublisher;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.FailureLimits;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The error-queue service on a real RabbitMQ: a requeued message is the original again,
 * with its delivery mode and TTL, without the error headers and with its count of
 * refusals started again.
 *
 * @author Celeriac team
 */
@RealServices
class ErrorQueueServiceTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final RabbitTestBroker rabbit;

	private final Topology topology;

	private final ErrorQueueService service;

	private final ErrorQueuePublisher publisher;

	private final String queue;

	private final String errorQueue;

	ErrorQueueServiceTests(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
		this.topology = this.rabbit.newTopology("sample");
		broker().declare(this.topology);
		this.service = new ErrorQueueService(broker(), this.topology, Duration.ofSeconds(10));
		this.publisher = new ErrorQueuePublisher(broker(), this.topology, "test", Duration.ofSeconds(10),
				FailureLimits.DEFAULTS);
		this.queue = this.topology.queueName("sample");
		this.errorQueue = this.topology.errorQueueName(this.queue);
	}

	@AfterEach
	void close() {
		this.rabbit.close();
	}

	@Test
	void aRequeuedTransientMessageWithATimeToLiveIsTheOriginalAgain() {
		WireMessage original = message(false, "600000");
		WireMessage requeued = moveAndRequeue(original);
		assertThat(requeued.persistent()).isFalse();
		assertThat(requeued.expiration()).isEqualTo("600000");
		assertThat(requeued.headers()).doesNotContainKeys(ErrorHeaders.KIND, ErrorHeaders.REASON,
				ErrorHeaders.ORIGINAL_PERSISTENT, ErrorHeaders.ORIGINAL_EXPIRATION, TaskWorker.REFUSALS_HEADER);
		assertThat(requeued.headers()).containsEntry("task", "sample.add");
		assertThat(requeued.body()).isEqualTo(original.body());
	}

	@Test
	void aRequeuedPersistentMessageStaysPersistent() {
		WireMessage requeued = moveAndRequeue(message(true, null));
		assertThat(requeued.persistent()).isTrue();
		assertThat(requeued.expiration()).isNull();
	}

	@Test
	void theErrorQueueCopyIsPersistentWhateverTheOriginal() {
		broker().publish(this.topology.exchange(), "sample", message(false, null)).join();
		moveToErrorQueue();
		Delivery copy = awaitDelivery(this.errorQueue);
		assertThat(copy.message().persistent()).isTrue();
		assertThat(copy.message().headers()).containsEntry(ErrorHeaders.ORIGINAL_PERSISTENT, false);
		copy.ack();
	}

	@Test
	void onlyAnErrorQueueCanBeSettled() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.discardAll(this.queue))
			.withMessageContaining("is not an error queue");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.requeueFirst(this.errorQueue, 0))
			.withMessageContaining("must be positive");
	}

	private WireMessage moveAndRequeue(WireMessage original) {
		broker().publish(this.topology.exchange(), "sample", original).join();
		moveToErrorQueue();
		await().atMost(WAIT).until(() -> broker().messageCount(this.errorQueue) == 1);
		assertThat(this.service.requeueFirst(this.errorQueue, 10)).isOne();
		Delivery requeued = awaitDelivery(this.queue);
		requeued.ack();
		assertThat(requeued.message().correlationId()).isEqualTo(original.correlationId());
		return requeued.message();
	}

	private void moveToErrorQueue() {
		Delivery delivery = awaitDelivery(this.queue);
		this.publisher.send(delivery, ErrorKind.TASK_FAILED, "failed in the test", null);
		delivery.ack();
	}

	private Delivery awaitDelivery(String from) {
		Delivery[] found = new Delivery[1];
		await().atMost(WAIT).until(() -> (found[0] = broker().get(from)) != null);
		return found[0];
	}

	private RabbitBroker broker() {
		return this.rabbit.broker();
	}

	private static WireMessage message(boolean persistent, @Nullable String expiration) {
		String id = UUID.randomUUID().toString();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "sample.add");
		headers.put("id", id);
		headers.put(TaskWorker.REFUSALS_HEADER, 3);
		return new WireMessage("[[2, 3], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				headers, id, null, 0, persistent, expiration);
	}

}

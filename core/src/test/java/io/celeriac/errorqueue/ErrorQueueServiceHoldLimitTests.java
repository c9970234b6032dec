package io.celeriac.errorqueue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A selection from an error queue on a broker whose reader holds a limited number of
 * messages (the in-memory broker's, like Redis' and SQS'): the messages passed beyond the
 * limit are moved to the back, and none is lost or duplicated.
 *
 * @author Celeriac team
 */
class ErrorQueueServiceHoldLimitTests {

	private static final int MESSAGES = 1_500;

	private final InMemoryBroker broker = new InMemoryBroker();

	private final Topology topology = new Topology("task_exchange", "test-", null, Set.of("reports"), QueueType.CLASSIC,
			".error");

	private final String errorQueue = this.topology.errorQueueName(this.topology.queueName("reports"));

	private final ErrorQueueService service = new ErrorQueueService(this.broker, this.topology, Duration.ofSeconds(5));

	@Test
	void discardingOneMessagePastTheHoldLimitMovesThoseBeyondItAndKeepsEveryOtherOnce() {
		this.broker.declare(this.topology);
		for (int i = 0; i < MESSAGES; i++) {
			this.broker.publish(Broker.DEFAULT_EXCHANGE, this.errorQueue, message(id(i))).join();
		}
		assertThat(this.service.discard(this.errorQueue, List.of(id(1_200)))).isOne();
		assertThat(this.broker.stats(this.errorQueue)).isEqualTo(new QueueStats(MESSAGES - 1, 0, 0));
		List<String> left = new ArrayList<>();
		for (Delivery delivery; (delivery = this.broker.get(this.errorQueue)) != null;) {
			left.add(delivery.message().correlationId());
			delivery.ack();
		}
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < MESSAGES; i++) {
			if (i != 1_200) {
				expected.add(id(i));
			}
		}
		assertThat(left).containsExactlyInAnyOrderElementsOf(expected);
	}

	private static WireMessage message(String id) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("id", id);
		headers.put(ErrorHeaders.KIND, "TASK_FAILED");
		headers.put(ErrorHeaders.REASON, "failed in the test");
		headers.put(ErrorHeaders.ROUTING_KEY, "reports");
		return new WireMessage("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers,
				id, null, 0, true, null);
	}

	private static String id(int i) {
		return "task-" + i;
	}

}

package io.celeriac.test.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.broker.Broker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RedisTestBroker;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker contract on the Redis broker, and its priority order of queues.
 *
 * @author Celeriac team
 */
@RealServices
class RedisTaskWorkerTests extends TaskWorkerContractTests {

	private final RedisTestBroker redis;

	RedisTaskWorkerTests(RedisEndpoint endpoint, ServiceIsolation isolation) {
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
	void aWorkerServesItsQueuesInTheConfiguredOrder() throws NoSuchMethodException {
		Topology topology = newTopology("high", "medium", "main");
		broker().declare(topology);
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		BrokerTaskClient client = new BrokerTaskClient(broker(), topology, router, protocol, null);
		List<String> expected = new ArrayList<>();
		// filled from the least urgent queue, so that sending order cannot explain the
		// result
		for (String service : List.of("main", "medium", "high")) {
			for (int i = 0; i < 5; i++) {
				client.send(service + ".run", List.of(service + "-" + i), Map.of(), TaskOptions.defaults(),
						Object.class);
			}
		}
		for (String service : List.of("high", "medium", "main")) {
			for (int i = 0; i < 5; i++) {
				expected.add(service + "-" + i);
			}
		}
		await().atMost(WAIT).until(() -> broker().messageCount(topology.queueName("high")) == 5);
		Recorder recorder = new Recorder();
		TaskRegistry registry = new TaskRegistry();
		for (String service : List.of("high", "medium", "main")) {
			registry
				.register(new TaskMethod(service + ".run", recorder, Recorder.class.getMethod("run", String.class)));
		}
		WorkerSettings settings = new WorkerSettings("priority@test", List.of("high", "medium", "main"), 1, 1, 65536,
				false, Duration.ofSeconds(5), Duration.ofSeconds(10));
		TaskWorker worker = TaskWorker
			.builder(broker(), registry, protocol,
					new ErrorQueue(broker(), topology, settings.name(), settings.confirmTimeout()), topology, router,
					settings)
			.build();
		worker.start();
		try {
			await().atMost(WAIT).until(() -> recorder.runs.size() == expected.size());
			assertThat(recorder.runs).containsExactlyElementsOf(expected);
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void anEntryTheBrokerCannotReadGoesToTheErrorQueueWithTheReasonAndTheConsumerGoesOn() {
		// pushed as kombu's layout holds a queue: a list under the key prefix, taken
		// from the other end
		Map<String, String> entries = new LinkedHashMap<>();
		entries.put("not JSON", "{\"body\": oops");
		entries.put("not kombu's envelope", "[\"a\", \"list\"]");
		entries.put("body is not base64", "{\"body\": \"%%% not base64\", \"content-type\": \"application/json\", "
				+ "\"headers\": {\"task\": \"sample.add\", \"id\": \"x\"}, \"properties\": {\"body_encoding\": "
				+ "\"base64\", \"delivery_tag\": \"t1\", \"delivery_info\": {\"exchange\": \"\", \"routing_key\": \"q\"}}}");
		entries.put("headers are not a JSON object",
				"{\"body\": \"W10=\", \"headers\": [1], \"properties\": " + "{\"body_encoding\": \"base64\"}}");
		byte[] list = (this.redis.broker().keyPrefix() + queue()).getBytes(StandardCharsets.UTF_8);
		entries.forEach((reason, entry) -> {
			byte[] stored = entry.getBytes(StandardCharsets.UTF_8);
			try (RedisConnection connection = this.redis.connectionFactory().getConnection()) {
				connection.listCommands().lPush(list, stored);
			}
			// the message the error queue holds: the entry whole, and why
			assertInErrorQueue(WireMessage.unreadable(stored, reason), ErrorKind.UNREADABLE_MESSAGE, reason);
		});
		assertThat(broker().stats(queue()).inFlight()).isZero();
	}

	/**
	 * Records the order in which tasks ran.
	 */
	public static final class Recorder {

		final List<String> runs = new CopyOnWriteArrayList<>();

		public void run(String label) {
			this.runs.add(label);
		}

	}

}

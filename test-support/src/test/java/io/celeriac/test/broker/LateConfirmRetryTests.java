package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.delay.ClaimedTask;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.resource.OwnedResources;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker's retry whose confirm comes after the confirm timeout: the worker consumes
 * from the shared node on 5672 directly and publishes through a {@link StallingProxy}
 * that holds RabbitMQ's answers (the confirms) for a while, so that the retry follow-up
 * times out and is tried again while the retry it published is in the queue, unconfirmed.
 *
 * @author Celeriac team
 */
class LateConfirmRetryTests {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * How long the confirms are held: long enough for the follow-up to time out and be
	 * tried again twice (after 100 ms, then 200 ms) before they come.
	 */
	private static final Duration HELD = Duration.ofSeconds(4);

	private final OwnedResources resources = new OwnedResources();

	@AfterEach
	void closeResources() throws Exception {
		this.resources.close();
	}

	@Test
	void aRetryWhoseConfirmIsLateIsPublishedOnceForItsAttempt() throws Exception {
		StallingProxy proxy = own(new StallingProxy(5672));
		CachingConnectionFactory consuming = connections(5672);
		consuming.setPublisherConnectionFactory(connections(proxy.port()));
		RabbitBroker broker = new RabbitBroker(consuming, CONFIRM_TIMEOUT);
		this.resources.add(broker::destroy);
		String name = "late" + UUID.randomUUID().toString().substring(0, 8);
		Topology topology = new Topology(name, name + "-", null, Set.of("late"), QueueType.CLASSIC, ".error");
		String queue = topology.queueName("late");
		broker.declare(topology);
		this.resources.add(() -> {
			broker.deleteQueue(queue);
			broker.deleteQueue(queue + ".error");
		});
		Flaky flaky = new Flaky();
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("late.flaky", flaky, Flaky.class.getMethod("run")));
		CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());
		FirstSegmentTaskRouter router = new FirstSegmentTaskRouter();
		WorkerSettings settings = new WorkerSettings("late@test", List.of("late"), 1, 10, 65536, false,
				Duration.ofSeconds(30), CONFIRM_TIMEOUT);
		InMemoryDelayedTaskStore delayed = new InMemoryDelayedTaskStore();
		TaskWorker worker = TaskWorker
			.builder(broker, registry, protocol, new ErrorQueue(broker, topology, settings.name(), CONFIRM_TIMEOUT),
					topology, router, settings)
			.results(new InMemoryResultStore())
			.delayedTasks(delayed)
			.build();
		worker.start();
		this.resources.add(worker::stop);
		String id = new BrokerTaskClient(broker, topology, router, protocol, null)
			.send("late.flaky", List.of(), Map.of(), TaskOptions.defaults())
			.id();
		assertThat(flaky.started.await(30, TimeUnit.SECONDS)).as("the task started").isTrue();
		// every publishing channel is open before RabbitMQ's answers are held
		for (int i = 0; i < 4; i++) {
			broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, "celeriac-nowhere",
					new WireMessage("{}".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", Map.of(),
							"warm-up", null, 0, false, null),
					CONFIRM_TIMEOUT);
		}

		proxy.stallDownstream(true);
		try {
			flaky.fail.countDown();
			// the outage lasts a fixed time, as in the outage tests: the follow-up goes
			// on
			Thread.sleep(HELD.toMillis());
		}
		finally {
			proxy.stallDownstream(false);
		}
		// stopping waits for the follow-up to end; the retry is then in the queue, or in
		// the delayed task store where the worker put it to wait for its eta
		worker.stop();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> broker.messageCount(queue) + delayed.countDelayed(queue) >= 1);
		List<TaskMessage> retries = new ArrayList<>();
		Delivery delivery;
		while ((delivery = broker.get(queue)) != null) {
			retries.add(protocol.decode(delivery.message()));
			delivery.ack();
		}
		for (ClaimedTask claimed : delayed.claimDue(Instant.now().plus(Duration.ofDays(1)), 100,
				Duration.ofMinutes(1))) {
			retries.add(protocol.decode(claimed.task().message()));
		}
		assertThat(retries).as("the retries of task %s", id).hasSize(1).allSatisfy((retry) -> {
			assertThat(retry.id()).isEqualTo(id);
			assertThat(retry.headers().retries()).isEqualTo(1);
		});
	}

	private CachingConnectionFactory connections(int port) {
		CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", port);
		connections.setUsername("guest");
		connections.setPassword("guest");
		this.resources.add(connections::destroy);
		return connections;
	}

	private <T extends AutoCloseable> T own(T resource) {
		return this.resources.own(resource);
	}

	/**
	 * A task that fails once it is told to, and is retried a minute later: its retry
	 * waits in the queue.
	 */
	public static class Flaky {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch fail = new CountDownLatch(1);

		@Deferrable(name = "late.flaky", retryOn = IllegalStateException.class, maxAttempts = 3,
				backoffDelayMillis = 60_000, backoffJitter = false)
		public void run() throws InterruptedException {
			this.started.countDown();
			this.fail.await(30, TimeUnit.SECONDS);
			throw new IllegalStateException("fails, to be retried");
		}

	}

}

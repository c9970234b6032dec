package io.celeriac.test.worker;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.delay.ClaimedTask;
import io.celeriac.delay.DelayedTask;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskRateLimits;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task over its rate limit is parked before its delivery is acknowledged: while the
 * delayed task store fails, the task goes back to its queue, and none is lost.
 *
 * @author Celeriac team
 */
class RateLimitParkingTests {

	private final InMemoryBroker broker = new InMemoryBroker();

	private final FailingStore store = new FailingStore(2);

	private final Topology topology = new Topology("tasks", "parking-", "platform.fifo", Set.of("paced"),
			QueueType.CLASSIC, ".error");

	private final AtomicInteger runs = new AtomicInteger();

	private final CeleryProtocol protocol = new CeleryProtocol(JsonMapper.builder().build());

	private TaskWorker worker;

	@AfterEach
	void stop() {
		this.worker.stop();
	}

	@Test
	void aTaskIsParkedBeforeItsDeliveryIsAcknowledgedSoAFailingStoreLosesNone() {
		this.broker.declare(this.topology);
		TaskRegistry registry = new TaskRegistry();
		Method hourly = ReflectionUtils.findMethod(RateLimitParkingTests.class, "hourly", int.class);
		ReflectionUtils.makeAccessible(hourly);
		registry.register(new TaskMethod("paced.hourly", this, hourly));
		WorkerSettings settings = new WorkerSettings("parking@test", List.of("paced"), 1, 1, 65536, false,
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		// no scheduler: what is parked stays in the store
		this.worker = TaskWorker
			.builder(this.broker, registry, this.protocol,
					new ErrorQueue(this.broker, this.topology, settings.name(), settings.confirmTimeout()),
					this.topology, new FirstSegmentTaskRouter(), settings)
			.delayedTasks(this.store)
			.rateLimits(new TaskRateLimits(new InMemoryLimiters(), Map.of()))
			.build();
		this.worker.start();
		BrokerTaskClient client = new BrokerTaskClient(this.broker, this.topology, new FirstSegmentTaskRouter(),
				this.protocol, null);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(client.send("paced.hourly", List.of(i), Map.of(), TaskOptions.defaults(), Void.class).id());
		}
		String queue = this.topology.queueName("paced");
		await().atMost(Duration.ofSeconds(20)).until(() -> this.store.size() == 2);
		assertThat(this.store.failed.get()).isEqualTo(2);
		assertThat(this.runs.get()).isOne();
		assertThat(this.broker.messageCount(queue)).isZero();
		assertThat(this.broker.messageCount(this.topology.errorQueueName(queue))).isZero();
		List<ClaimedTask> parked = this.store.claimDue(Instant.now().plus(Duration.ofDays(1)), 10,
				Duration.ofMinutes(1));
		assertThat(parked).extracting((claimed) -> claimed.task().message().correlationId())
			.containsExactlyInAnyOrderElementsOf(ids.subList(1, 3));
		assertThat(parked).allSatisfy((claimed) -> assertThat(
				String.valueOf(claimed.task().message().headers().get(TaskRateLimits.TURN_HEADER)))
			.startsWith("0@"));
	}

	@Deferrable(name = "paced.hourly", rateLimit = "1/h")
	public void hourly(int n) {
		this.runs.incrementAndGet();
	}

	/**
	 * A store that fails its first few additions, as Redis does while it is unreachable.
	 */
	static final class FailingStore extends InMemoryDelayedTaskStore {

		private final AtomicInteger failures;

		private final AtomicInteger failed = new AtomicInteger();

		FailingStore(int failures) {
			this.failures = new AtomicInteger(failures);
		}

		@Override
		public void schedule(DelayedTask task) {
			if (this.failures.getAndDecrement() > 0) {
				this.failed.incrementAndGet();
				throw new IllegalStateException("delayed task store unavailable (simulated)");
			}
			super.schedule(task);
		}

	}

}

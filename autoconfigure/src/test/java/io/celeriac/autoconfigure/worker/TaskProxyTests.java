package io.celeriac.autoconfigure.worker;

import java.time.Duration;
import java.util.UUID;

import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.broker.Broker;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.limit.Limiter;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.Permit;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.HeldLock;
import io.celeriac.result.TaskState;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker runs task methods through their bean's proxy: the bean's other advice
 * ({@code @Transactional}, {@code @Locked}) applies, the {@code @Deferrable} advice lets
 * the worker's call through without sending the task again, and a task its lock refuses
 * runs again later. Each backend's test extends this one.
 *
 * @author Celeriac team
 */
abstract class TaskProxyTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	/**
	 * Returns a runner of a full application with {@link ProxiedTasks}, a worker, a
	 * {@code JdbcTemplate} with transactions, locks, the limiter {@code proxied} of one
	 * place, the cache region {@code proxied}, and a refusal countdown of 200 ms.
	 * @param name names this test's queues, unique within the class
	 * @return the runner
	 */
	abstract ApplicationContextRunner runner(String name);

	@Test
	void aTransactionalTaskThatThrowsAfterAWriteLeavesNoRow() {
		runner("tx").run((context) -> {
			assertThat(context).hasNotFailed();
			ProxiedTasks tasks = context.getBean(ProxiedTasks.class);
			tasks.createTable();
			String kept = "kept-" + UUID.randomUUID();
			String rolledBack = "rolled-back-" + UUID.randomUUID();
			assertThat(tasks.insert(kept).await(WAIT)).isEqualTo(1);
			TaskHandle<Integer> failing = tasks.insertThenFail(rolledBack);
			await().atMost(WAIT).until(failing::status, (state) -> state == TaskState.FAILURE);
			// both inserts ran on the worker; the failing one's transaction was rolled
			// back
			assertThat(tasks.inserts()).isEqualTo(2);
			assertThat(tasks.rows(kept)).isEqualTo(1);
			assertThat(tasks.rows(rolledBack)).isZero();
		});
	}

	@Test
	void aLockedTaskRefusedOnTheWorkerRunsAfterTheLockIsReleased() {
		runner("locked").run((context) -> {
			assertThat(context).hasNotFailed();
			ProxiedTasks tasks = context.getBean(ProxiedTasks.class);
			DistributedLock locks = context.getBean(DistributedLock.class);
			TaskHandle<String> handle;
			try (HeldLock held = locks.acquire(ProxiedTasks.LOCK_KEY, Duration.ofMinutes(1), Duration.ofSeconds(5))) {
				handle = tasks.locked("later");
				// refused: recorded RETRY, not FAILURE, and its body has not run
				await().atMost(WAIT).until(handle::status, (state) -> state == TaskState.RETRY);
				assertThat(tasks.lockedRuns()).isEqualTo(0);
				String monitor = context.getBean(Topology.class).monitorQueueName();
				Broker broker = context.getBean(Broker.class);
				// sent again after each refusal
				await().atMost(WAIT).until(() -> broker.messageCount(monitor) >= 3);
				assertThat(tasks.lockedRuns()).isEqualTo(0);
			}
			assertThat(handle.await(WAIT)).isEqualTo("ran later");
			assertThat(handle.status()).isEqualTo(TaskState.SUCCESS);
			assertThat(tasks.lockedRuns()).isEqualTo(1);
		});
	}

	@Test
	void aLimitedTaskRefusedOnTheWorkerRunsAfterAPlaceIsFreed() {
		runner("limited").run((context) -> {
			assertThat(context).hasNotFailed();
			ProxiedTasks tasks = context.getBean(ProxiedTasks.class);
			Limiter limiter = context.getBean(Limiters.class).limiter(ProxiedTasks.LIMITER);
			TaskHandle<String> handle;
			try (Permit taken = limiter.tryAcquire("the-test").orElseThrow()) {
				handle = tasks.limited("later");
				await().atMost(WAIT).until(handle::status, (state) -> state == TaskState.RETRY);
				assertThat(tasks.limitedRuns()).isEqualTo(0);
			}
			assertThat(handle.await(WAIT)).isEqualTo("limited later");
			assertThat(tasks.limitedRuns()).isEqualTo(1);
		});
	}

	@Test
	void aTaskRefusedMoreThanTheMaximumFailsToTheErrorQueueAndRunsWhenRequeued() {
		runner("exhausted").withPropertyValues("celeriac.worker.refusal.max-retries=2").run((context) -> {
			assertThat(context).hasNotFailed();
			ProxiedTasks tasks = context.getBean(ProxiedTasks.class);
			DistributedLock locks = context.getBean(DistributedLock.class);
			Topology topology = context.getBean(Topology.class);
			Broker broker = context.getBean(Broker.class);
			String errorQueue = topology.errorQueueName(topology.queueName("proxied"));
			TaskHandle<String> handle;
			try (HeldLock held = locks.acquire(ProxiedTasks.LOCK_KEY, Duration.ofMinutes(1), Duration.ofSeconds(5))) {
				handle = tasks.locked("refused");
				await().atMost(WAIT).until(handle::status, (state) -> state == TaskState.FAILURE);
				await().atMost(WAIT).until(() -> broker.messageCount(errorQueue) == 1);
				var delivery = broker.get(errorQueue);
				assertThat(delivery).isNotNull();
				assertThat(delivery.message().headers()).containsEntry(ErrorHeaders.KIND, "RETRIES_EXHAUSTED")
					.containsEntry("id", handle.id());
				assertThat(delivery.message().headers().get(TaskWorker.REFUSALS_HEADER).toString()).isEqualTo("3");
				assertThat(delivery.message().headers().get(ErrorHeaders.REASON).toString())
					.contains("celeriac.worker.refusal.max-retries (2)");
				delivery.reject(true);
				// the original, then each retry twice: sent by the worker with its eta,
				// and by the delayed task store when due
				assertThat(broker.messageCount(topology.monitorQueueName())).isEqualTo(5);
				assertThat(tasks.lockedRuns()).isEqualTo(0);
			}
			// requeued once the lock is free, it runs, its refusals counted afresh
			ErrorQueueService errors = new ErrorQueueService(broker, topology, WAIT);
			await().atMost(WAIT).until(() -> broker.messageCount(errorQueue) == 1);
			assertThat(errors.requeueFirst(errorQueue, 10)).isEqualTo(1);
			await().atMost(WAIT).until(handle::status, (state) -> state == TaskState.SUCCESS);
			assertThat(tasks.lockedRuns()).isEqualTo(1);
		});
	}

	@Test
	void aCacheRegionTaskRunByTheWorkerComputesItsValueOnce() {
		runner("cached").run((context) -> {
			assertThat(context).hasNotFailed();
			ProxiedTasks tasks = context.getBean(ProxiedTasks.class);
			assertThat(tasks.square(7).await(WAIT)).isEqualTo(49);
			assertThat(tasks.square(7).await(WAIT)).isEqualTo(49);
			assertThat(tasks.squareRuns()).isEqualTo(1);
			assertThat(tasks.square(8).await(WAIT)).isEqualTo(64);
			assertThat(tasks.squareRuns()).isEqualTo(2);
		});
	}

	@Test
	void theWorkerRunsATaskOnceWithoutSendingItAgain() {
		runner("once").run((context) -> {
			assertThat(context).hasNotFailed();
			ProxiedTasks tasks = context.getBean(ProxiedTasks.class);
			TaskHandle<Integer> handle = tasks.twice(21);
			assertThat(handle.await(WAIT)).isEqualTo(42);
			assertThat(tasks.doubleRuns()).isEqualTo(1);
			// every message published on the exchange has a copy in the monitor queue
			String monitor = context.getBean(Topology.class).monitorQueueName();
			assertThat(context.getBean(Broker.class).messageCount(monitor)).isEqualTo(1);
		});
	}

	@Test
	void aTaskMethodCalledFromARunningTaskIsSentAsItsChild() {
		runner("child").run((context) -> {
			assertThat(context).hasNotFailed();
			ProxiedTasks tasks = context.getBean(ProxiedTasks.class);
			String childId = tasks.parent(4).await(WAIT);
			TaskHandle<Integer> child = context.getBean(TaskClient.class).handle(childId, Integer.class);
			assertThat(child.await(WAIT)).isEqualTo(8);
			assertThat(tasks.doubleRuns()).isEqualTo(1);
			String monitor = context.getBean(Topology.class).monitorQueueName();
			assertThat(context.getBean(Broker.class).messageCount(monitor)).isEqualTo(2);
		});
	}

}

package io.celeriac.autoconfigure.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.control.ActiveTasks;
import io.celeriac.control.ControlNode;
import io.celeriac.control.ControlPanel;
import io.celeriac.control.Mailbox;
import io.celeriac.control.RateLimitControl;
import io.celeriac.control.Revocations;
import io.celeriac.control.WorkerControl;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.jdbc.JdbcRevokedTaskStore;
import io.celeriac.revoke.memory.InMemoryRevokedTaskStore;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;
import io.celeriac.worker.TaskWorker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ControlAutoConfiguration} on the in-memory broker: the revocations a worker
 * refuses revoked tasks with, the store chosen for them, a user's beans winning, and what
 * the worker answers each command (through an in-JVM {@link Mailbox}; the RabbitMQ
 * mailbox and Celery itself are in {@link CeleryRemoteControlTests}).
 *
 * @author Celeriac team
 */
class ControlAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
				ControlAutoConfiguration.class))
		.withBean(ControlTasks.class)
		.withPropertyValues("celeriac.worker.name=control@test", "celeriac.worker.shutdown-timeout=1s");

	@Test
	void aWorkerOnTheInMemoryBrokerRefusesRevokedTasksButHasNoMailbox() {
		List<String> revoked = new java.util.concurrent.CopyOnWriteArrayList<>();
		TaskLifecycleListener listener = new TaskLifecycleListener() {

			@Override
			public void onRevoke(TaskMessage task, boolean terminated) {
				revoked.add(task.id() + " " + terminated);
			}

		};
		this.contextRunner.withBean(TaskLifecycleListener.class, () -> listener).run((context) -> {
			assertThat(context).hasSingleBean(Revocations.class)
				.hasSingleBean(ActiveTasks.class)
				.hasSingleBean(InMemoryRevokedTaskStore.class)
				.doesNotHaveBean(Mailbox.class)
				.doesNotHaveBean(WorkerControl.class)
				.doesNotHaveBean(ControlNode.class);
			String id = UUID.randomUUID().toString();
			context.getBean(Revocations.class).revoke(List.of(id), false);
			context.getBean(TaskClient.class)
				.send("ctl.add", List.of(1, 2), Map.of(), TaskOptions.defaults().withTaskId(id));
			ResultStore results = context.getBean(ResultStore.class);
			await().atMost(WAIT).until(() -> state(results, id) == TaskState.REVOKED);
			assertThat(results.find(id).orElseThrow().failure().exceptionType()).isEqualTo("TaskRevokedError");
			assertThat(context.getBean(ControlTasks.class).started()).isEmpty();
			assertThat(revoked).containsExactly(id + " false");
		});
	}

	@Test
	void remoteControlCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("celeriac.control.enabled=false")
			.withBean(Mailbox.class, LoopbackMailbox::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TaskWorker.class)
				.doesNotHaveBean(Revocations.class)
				.doesNotHaveBean(WorkerControl.class)
				.doesNotHaveBean(ControlNode.class));
	}

	@Test
	void userBeansWin() {
		RevokedTaskStore store = new InMemoryRevokedTaskStore(RevokedTaskStore.Limits.CELERY);
		WorkerControl control = new WorkerControl(new LoopbackMailbox(), Duration.ofSeconds(1));
		this.contextRunner.withBean(RevokedTaskStore.class, () -> store)
			.withBean(WorkerControl.class, () -> control)
			.run((context) -> {
				assertThat(context).getBean(RevokedTaskStore.class).isSameAs(store);
				assertThat(context).getBean(WorkerControl.class).isSameAs(control);
				context.getBean(Revocations.class).revoke(List.of("given"), false);
				assertThat(store.contains("given")).isTrue();
			});
	}

	@Test
	void theResultDatabaseKeepsRevokedIdsWhenTheResultStoreIsJdbc() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcRevokedTaskStore.class);
				context.getBean(Revocations.class).revoke(List.of("kept"), false);
				assertThat(context.getBean(RevokedTaskStore.class).contains("kept")).isTrue();
			});
	}

	@Test
	void aStoreWithoutItsServerStopsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("celeriac.control.revoked.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("celeriac.control.revoked.store=redis needs a Redis server"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void theWorkerAnswersEachCommandAsCeleryDoes() {
		this.contextRunner.withBean(Mailbox.class, LoopbackMailbox::new).run((context) -> {
			assertThat(context).hasSingleBean(ControlNode.class).hasSingleBean(ControlPanel.class);
			WorkerControl control = context.getBean(WorkerControl.class);
			assertThat(control.inspect().ping()).isEqualTo(Map.of("control@test", Map.of("ok", "pong")));
			assertThat(control.inspect().registered())
				.isEqualTo(Map.of("control@test", List.of("ctl.add", "ctl.block")));
			assertThat(control.inspect().reserved()).isEqualTo(Map.of("control@test", List.of()));
			assertThat(control.inspect().scheduled()).isEqualTo(Map.of("control@test", List.of()));
			Map<String, Object> stats = control.inspect().stats().get("control@test");
			assertThat(stats).containsKeys("total", "pid", "uptime", "pool", "broker", "prefetch_count", "rusage");
			Map<String, Object> conf = control.inspect().conf().get("control@test");
			assertThat(conf).containsEntry("task_serializer", "json").containsEntry("control_exchange", "celery");
			assertThat(conf.keySet()).noneMatch((key) -> key.contains("password") || key.contains("url"));

			assertThat(control.broadcast("revoke", Map.of("task_id", "a"), null, WAIT))
				.isEqualTo(Map.of("control@test", Map.of("ok", "tasks a flagged as revoked")));
			assertThat(control.inspect().revoked()).isEqualTo(Map.of("control@test", List.of("a")));
			assertThat(control.broadcast("revoke", Map.of("task_id", List.of("b"), "terminate", true), null, WAIT))
				.isEqualTo(Map.of("control@test", Map.of("ok", "terminate: tasks unknown")));

			assertThat(control.rateLimit("ctl.add", "10/m")).isEqualTo(Map.of("control@test", Map.of("error",
					"this Celeriac worker enforces no per-task rate limits (no RateLimitControl bean)")));
			assertThat(control.rateLimit("nope.task", "10/m"))
				.isEqualTo(Map.of("control@test", Map.of("error", "unknown task")));
			assertThat(control.broadcast("no_such_command", Map.of(), null, WAIT))
				.isEqualTo(Map.of("control@test", Map.of("error", "No such control command: no_such_command")));
			assertThat(control.broadcast("shutdown", Map.of(), null, WAIT)).isEqualTo(Map.of("control@test", Map.of(
					"error",
					"shutdown is disabled on this worker; set celeriac.control.shutdown-enabled=true to allow it")));
			// mingle: a Python worker starting up sends its revoked ids and gets ours
			Map<String, Object> hello = (Map<String, Object>) control
				.broadcast("hello", Map.of("from_node", "celery@py", "revoked", Map.of("p", 1.7e9)), null, WAIT)
				.get("control@test");
			assertThat((Map<String, Object>) hello.get("revoked")).containsKeys("a", "b", "p");
			assertThat(context.getBean(Revocations.class).isRevoked("p")).isTrue();
			assertThat(context.getBean(TaskWorker.class).isRunning()).isTrue();
			assertThat(control.inspect(List.of("someone@else"), WAIT).ping()).isEmpty();
		});
	}

	@Test
	void withoutSpringDataRedisAndSpringAmqpRevokedIdsStayInMemory() {
		this.contextRunner.withPropertyValues("celeriac.registry.type=redis")
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class, ConnectionFactory.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(InMemoryRevokedTaskStore.class)
				.hasSingleBean(Revocations.class)
				.doesNotHaveBean(Mailbox.class));
	}

	@Test
	void aShutdownCommandClosesTheApplicationOnlyWhenEnabled() {
		this.contextRunner.withBean(Mailbox.class, LoopbackMailbox::new)
			.withPropertyValues("celeriac.control.shutdown-enabled=true")
			.run((context) -> {
				WorkerControl control = context.getBean(WorkerControl.class);
				control.shutdown(List.of("someone@else"));
				assertThat(context.getSourceApplicationContext().isActive()).isTrue();
				control.shutdown(List.of("control@test"));
				await().atMost(WAIT).until(() -> !context.getSourceApplicationContext().isActive());
			});
	}

	@Test
	void rateLimitGoesToTheApplicationsRateLimitControl() {
		Map<String, String> applied = new java.util.concurrent.ConcurrentHashMap<>();
		RateLimitControl rateLimits = (task, rate) -> applied.put(task, (rate != null) ? rate : "none");
		this.contextRunner.withBean(Mailbox.class, LoopbackMailbox::new)
			.withBean(RateLimitControl.class, () -> rateLimits)
			.run((context) -> {
				WorkerControl control = context.getBean(WorkerControl.class);
				assertThat(control.rateLimit("ctl.add", "10/m"))
					.isEqualTo(Map.of("control@test", Map.of("ok", "new rate limit set successfully")));
				assertThat(applied).containsEntry("ctl.add", "10/m");
				assertThat(control.rateLimit("ctl.add", "0"))
					.isEqualTo(Map.of("control@test", Map.of("ok", "rate limit disabled successfully")));
				assertThat(applied).containsEntry("ctl.add", "none");
				assertThat(control.rateLimit("ctl.add", "fast").get("control@test")).asString()
					.contains("Invalid rate limit string");
			});
	}

	@Test
	void queuesAreAddedAndCancelledByCommand() {
		this.contextRunner.withBean(Mailbox.class, LoopbackMailbox::new)
			.withPropertyValues("celeriac.topology.queues=extra")
			.run((context) -> {
				WorkerControl control = context.getBean(WorkerControl.class);
				TaskWorker worker = context.getBean(TaskWorker.class);
				String extra = worker.queues().get(0).replace("ctl", "extra");
				assertThat(control.addConsumer(extra, null))
					.isEqualTo(Map.of("control@test", Map.of("ok", "add consumer " + extra)));
				assertThat(worker.consumedQueues()).contains(extra);
				assertThat(control.inspect().activeQueues().get("control@test"))
					.extracting((queue) -> queue.get("name"))
					.contains(extra);
				assertThat(control.cancelConsumer(extra, null))
					.isEqualTo(Map.of("control@test", Map.of("ok", "no longer consuming from " + extra)));
				assertThat(worker.consumedQueues()).doesNotContain(extra);
				assertThat(control.addConsumer("missing-queue", null).get("control@test")).asString()
					.contains("queue 'missing-queue' does not exist");
			});
	}

	private static TaskState state(ResultStore results, String id) {
		return results.find(id).map(TaskResult::state).orElse(TaskState.PENDING);
	}

}

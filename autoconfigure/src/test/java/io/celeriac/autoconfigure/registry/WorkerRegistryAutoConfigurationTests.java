package io.celeriac.autoconfigure.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.protocol.Origin;
import io.celeriac.registry.RunningTasks;
import io.celeriac.registry.WorkerDescription;
import io.celeriac.worker.WorkerHeartbeat;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.registry.memory.InMemoryWorkerRegistry;
import io.celeriac.registry.redis.RedisWorkerRegistry;
import io.celeriac.task.Deferrable;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerRegistryAutoConfiguration}: the backend choice, the heartbeat of
 * the application's worker with what it works on, and unregistering at stop.
 *
 * @author Celeriac team
 */
class WorkerRegistryAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerRegistryAutoConfiguration.class))
		.withBean(Held.class)
		.withPropertyValues("celeriac.worker.heartbeat-interval=100ms", "celeriac.worker.name=registry@test");

	@Test
	void theWorkerAnnouncesItselfAndWhatItWorksOnThenUnregistersWhenItStops() {
		this.contextRunner.run((context) -> {
			WorkerRegistry registry = context.getBean(WorkerRegistry.class);
			assertThat(registry).isInstanceOf(InMemoryWorkerRegistry.class);
			await().atMost(WAIT).until(() -> registry.find("registry@test").isPresent());
			WorkerDescription worker = registry.find("registry@test").orElseThrow();
			assertThat(worker.queues()).containsExactly("dev-held");
			assertThat(worker.pid()).isEqualTo(ProcessHandle.current().pid());
			assertThat(worker.consuming()).isTrue();
			assertThat(worker.workingOn()).isEmpty();
			assertThat(worker.version()).isEqualTo(WorkerHeartbeat.version());
			Held held = context.getBean(Held.class);
			held.hold();
			await().atMost(WAIT)
				.until(() -> registry.find("registry@test").orElseThrow().workingOn(), (tasks) -> tasks.size() == 1);
			WorkerDescription.WorkingOn task = registry.find("registry@test").orElseThrow().workingOn().get(0);
			assertThat(task.task()).isEqualTo("held.hold");
			assertThat(task.since()).isBeforeOrEqualTo(Instant.now());
			// shown in docs/operations.md
			System.out.println("A worker running a task:\n" + JsonMapper.builder()
				.build()
				.writerWithDefaultPrettyPrinter()
				.writeValueAsString(registry.find("registry@test").orElseThrow()));
			Instant heartbeat = registry.find("registry@test").orElseThrow().heartbeat();
			// the heartbeat goes on while the task runs
			await().atMost(WAIT)
				.until(() -> registry.find("registry@test").orElseThrow().heartbeat().isAfter(heartbeat));
			held.release();
			await().atMost(WAIT).until(() -> registry.find("registry@test").orElseThrow().workingOn(), List::isEmpty);
			context.getBean(TaskWorker.class).stop();
			await().atMost(WAIT).until(() -> !registry.find("registry@test").orElseThrow().consuming());
			context.getBean(WorkerHeartbeat.class).stop();
			assertThat(registry.find("registry@test")).isEmpty();
		});
	}

	@Test
	void redisIsChosenWhenRedisIsConfigured() {
		this.contextRunner.withPropertyValues("spring.data.redis.host=127.0.0.1", "celeriac.worker.enabled=false")
			.withBean(RedisConnectionFactory.class, LettuceConnectionFactory::new)
			.run((context) -> assertThat(context).hasSingleBean(RedisWorkerRegistry.class)
				.doesNotHaveBean(WorkerHeartbeat.class));
	}

	@Test
	void withoutSpringDataRedisTheRedisRegistryIsNotConfigured() {
		this.contextRunner.withPropertyValues("celeriac.registry.type=redis")
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(WorkerRegistry.class)
				.doesNotHaveBean(WorkerHeartbeat.class));
	}

	@Test
	void withoutTheRegistryClassesNothingIsConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WorkerRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RunningTasks.class)
				.doesNotHaveBean(WorkerHeartbeat.class));
	}

	@Test
	void aUserRegistryWins() {
		InMemoryWorkerRegistry mine = new InMemoryWorkerRegistry();
		this.contextRunner.withBean("myRegistry", WorkerRegistry.class, () -> mine).run((context) -> {
			assertThat(context).getBean(WorkerRegistry.class).isSameAs(mine);
			await().atMost(WAIT).until(() -> mine.find("registry@test").isPresent());
		});
	}

	@Test
	void theHeartbeatCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("celeriac.registry.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(WorkerRegistry.class)
				.doesNotHaveBean(WorkerHeartbeat.class)
				.doesNotHaveBean(RunningTasks.class));
	}

	@Test
	void theHeartbeatUsesTheWorkersNameAndTheConfiguredWindow() {
		this.contextRunner.withPropertyValues("celeriac.registry.missed-heartbeats=5").run((context) -> {
			assertThat(context.getBean(WorkerHeartbeat.class).window()).isEqualTo(Duration.ofMillis(500));
			assertThat(context.getBean(WorkerHeartbeat.class).describe().id())
				.isEqualTo(context.getBean(WorkerSettings.class).name());
		});
	}

	@Test
	void twoWorkersOnOneRegistryAreTwoEntriesAndStoppingOneLeavesTheOther() {
		// one named by default (this process on this host), the other configured
		InMemoryWorkerRegistry shared = new InMemoryWorkerRegistry();
		ApplicationContextRunner defaultName = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
					ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
					WorkerRegistryAutoConfiguration.class))
			.withBean(Held.class)
			.withBean("sharedRegistry", WorkerRegistry.class, () -> shared)
			.withPropertyValues("celeriac.worker.heartbeat-interval=100ms");
		defaultName.run((first) -> {
			String firstId = WorkerSettings.defaultName();
			assertThat(first.getBean(WorkerSettings.class).name()).isEqualTo(firstId)
				.isEqualTo("celeriac-" + ProcessHandle.current().pid() + "@" + Origin.hostName());
			await().atMost(WAIT).until(() -> shared.find(firstId).isPresent());
			defaultName.withPropertyValues("celeriac.worker.name=second@test").run((second) -> {
				assertThat(second.getBean(WorkerSettings.class).name()).isEqualTo("second@test");
				await().atMost(WAIT)
					.until(() -> shared.workers().stream().map(WorkerDescription::id).toList(),
							(ids) -> ids.contains(firstId) && ids.contains("second@test"));
			});
			// the second context closed: it unregistered itself only
			assertThat(shared.find("second@test")).isEmpty();
			assertThat(shared.find(firstId)).isPresent();
		});
		assertThat(shared.workers()).isEmpty();
	}

	/**
	 * A task that runs until released.
	 */
	public static class Held {

		private final CountDownLatch release = new CountDownLatch(1);

		public void release() {
			this.release.countDown();
		}

		@Deferrable(name = "held.hold")
		public CompletableFuture<Boolean> hold() throws InterruptedException {
			return CompletableFuture.completedFuture(this.release.await(30, TimeUnit.SECONDS));
		}

	}

}

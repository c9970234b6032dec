package io.celeriac.autoconfigure.delay;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.debounce.Debouncer;
import io.celeriac.debounce.memory.InMemoryDebouncer;
import io.celeriac.debounce.redis.RedisDebouncer;
import io.celeriac.broker.Broker;
import io.celeriac.delay.DelayedTask;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.execution.CorrelationIdContributor;
import io.celeriac.task.Deferrable;
import io.celeriac.protocol.WireMessage;
import io.celeriac.task.TaskHandle;
import io.celeriac.topology.Topology;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DelayedTaskAutoConfiguration}.
 *
 * @author Celeriac team
 */
class DelayedTaskAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, DelayedTaskAutoConfiguration.class,
				WorkerAutoConfiguration.class));

	@Test
	void inMemoryStoreAndASchedulerAreTheDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(DelayedTaskStore.class).isInstanceOf(InMemoryDelayedTaskStore.class);
			assertThat(context).hasSingleBean(DelayedTaskScheduler.class);
			assertThat(context.getBean(DelayedTaskScheduler.class).store())
				.isSameAs(context.getBean(DelayedTaskStore.class));
			assertThat(context).getBean(Debouncer.class).isInstanceOf(InMemoryDebouncer.class);
		});
	}

	@Test
	void theBrokerCountsTheStoresDelayedTasksInItsQueueStats() {
		this.contextRunner.run((context) -> {
			Topology topology = context.getBean(Topology.class);
			String queue = topology.queueName(Topology.CELERY_QUEUE);
			WireMessage message = new WireMessage(new byte[0], "application/json", "utf-8", Map.of(), "id", null, 0,
					true, null);
			context.getBean(DelayedTaskStore.class)
				.schedule(new DelayedTask(topology.exchange(), Topology.CELERY_QUEUE, message,
						Instant.now().plusSeconds(3600), queue));
			assertThat(context.getBean(Broker.class).stats(queue).delayed()).isOne();
		});
	}

	@Test
	void redisStoreWhenSelected() {
		this.contextRunner.withUserConfiguration(RedisConfiguration.class)
			.withPropertyValues("celeriac.scheduler.type=redis")
			.run((context) -> {
				assertThat(context).getBean(DelayedTaskStore.class).isInstanceOf(RedisDelayedTaskStore.class);
				assertThat(context).getBean(Debouncer.class).isInstanceOf(RedisDebouncer.class);
			});
	}

	@Test
	void userStoreWins() {
		this.contextRunner.withUserConfiguration(UserStoreConfiguration.class)
			.withPropertyValues("celeriac.scheduler.type=redis")
			.run((context) -> {
				assertThat(context).getBean(DelayedTaskStore.class).isSameAs(UserStoreConfiguration.STORE);
				assertThat(context.getBean(DelayedTaskScheduler.class).store()).isSameAs(UserStoreConfiguration.STORE);
			});
	}

	@Test
	void noRedisStoreWithoutSpringDataRedis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("celeriac.scheduler.type=redis")
			.run((context) -> assertThat(context).doesNotHaveBean(DelayedTaskStore.class)
				.doesNotHaveBean(DelayedTaskScheduler.class)
				.doesNotHaveBean(Debouncer.class));
	}

	@Test
	void schedulerCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("celeriac.scheduler.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(DelayedTaskStore.class)
				.doesNotHaveBean(DelayedTaskScheduler.class));
	}

	@Test
	void debouncedDeferrableCallsRunNowThenDelayedThenAreSkipped() {
		this.contextRunner.withUserConfiguration(DebouncedTasksConfiguration.class).run((context) -> {
			DebouncedTasks tasks = context.getBean(DebouncedTasks.class);
			for (int i = 0; i < 5; i++) {
				tasks.refresh("team-1");
			}
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tasks.runs() == 1);
			assertThat(context.getBean(DelayedTaskStore.class).size()).isOne();
		});
	}

	@Test
	void aDebouncedMethodMustReturnVoid() {
		this.contextRunner.withUserConfiguration(BadDebouncedTasksConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("debounces, so it must return void"));
	}

	@Test
	void theProducersCorrelationIdIsInTheWorkersMdcWhileTheTaskRuns() {
		this.contextRunner.withUserConfiguration(CorrelatedTasksConfiguration.class).run((context) -> {
			CorrelatedTasks tasks = context.getBean(CorrelatedTasks.class);
			MDC.put(CorrelationIdContributor.MDC_KEY, "request-42");
			CompletableFuture<String> seen;
			try {
				seen = tasks.correlationId();
			}
			finally {
				MDC.remove(CorrelationIdContributor.MDC_KEY);
			}
			assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("request-42 in worker thread");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CorrelatedTasksConfiguration {

		@Bean
		CorrelatedTasks correlatedTasks() {
			return new CorrelatedTasks();
		}

	}

	static class CorrelatedTasks {

		@Deferrable(name = "requests.correlation")
		public CompletableFuture<String> correlationId() {
			boolean worker = Thread.currentThread().getName().startsWith("celeriac-");
			return CompletableFuture.completedFuture(
					MDC.get(CorrelationIdContributor.MDC_KEY) + (worker ? " in worker thread" : " in caller"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DebouncedTasksConfiguration {

		@Bean
		DebouncedTasks debouncedTasks() {
			return new DebouncedTasks();
		}

	}

	static class DebouncedTasks {

		private final AtomicInteger runs = new AtomicInteger();

		int runs() {
			return this.runs.get();
		}

		@Deferrable(name = "teams.refresh", debounceMillis = 60_000)
		public void refresh(String team) {
			this.runs.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadDebouncedTasksConfiguration {

		@Bean
		BadDebouncedTasks badDebouncedTasks() {
			return new BadDebouncedTasks();
		}

	}

	static class BadDebouncedTasks {

		@Deferrable(name = "teams.bad", debounceMillis = 1000)
		public TaskHandle<String> bad() {
			return TaskHandle.completed("x");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RedisConfiguration {

		@Bean
		LettuceConnectionFactory redisConnectionFactory() {
			return new LettuceConnectionFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		static final DelayedTaskStore STORE = new InMemoryDelayedTaskStore();

		@Bean
		DelayedTaskStore myStore() {
			return STORE;
		}

	}

}

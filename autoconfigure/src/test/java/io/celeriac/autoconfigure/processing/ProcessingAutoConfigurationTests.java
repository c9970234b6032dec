package io.celeriac.autoconfigure.processing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.processing.CachedOperations;
import io.celeriac.processing.QuarantineDestination;
import io.celeriac.processing.CallbackDelivery;
import io.celeriac.processing.Operation;
import io.celeriac.processing.OperationCallback;
import io.celeriac.processing.OperationContext;
import io.celeriac.processing.OperationOutcome;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.ProcessingOutcome;
import io.celeriac.processing.ProcessingSettings;
import io.celeriac.processing.QuarantineConsumer;
import io.celeriac.processing.QuarantinedOperation;
import io.celeriac.processing.memory.InMemoryOperationStore;
import io.celeriac.processing.redis.RedisOperationStore;
import io.celeriac.task.TaskRegistry;
import io.celeriac.worker.TaskWorker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ProcessingAutoConfiguration}.
 *
 * @author Celeriac team
 */
class ProcessingAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
				CacheRegionAutoConfiguration.class, ProcessingAutoConfiguration.class));

	@Test
	void withNoServerTheStoreIsInMemoryAndNoQueueIsAddedWithoutAnOperation() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(CachedOperations.class);
			assertThat(context).getBean(OperationStore.class).isInstanceOf(InMemoryOperationStore.class);
			assertThat(context.getBean(TaskRegistry.class).names()).doesNotContain("processing.process",
					"processing-quarantine.consume");
		});
	}

	@Test
	void anOperationIsProcessedByTheApplicationsWorkerAndCalledBackThenHit() {
		this.contextRunner.withUserConfiguration(WordsConfiguration.class).run((context) -> {
			assertThat(context.getBean(TaskRegistry.class).names()).contains("processing.process",
					"processing-quarantine.consume");
			assertThat(context.getBean(TaskWorker.class).queues()).contains("dev-processing",
					"dev-processing-quarantine");
			CachedOperations operations = context.getBean(CachedOperations.class);
			Words words = context.getBean(Words.class);
			OperationOutcome outcome = operations.getOrDelegate("words", "doc:three words here", "caller-1");
			assertThat(outcome.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.CALLED_BACK);
			assertThat(words.callbacks).containsExactly("3 for [caller-1]");
			OperationOutcome hit = operations.getOrDelegate("words", "doc:three words here", "caller-2");
			assertThat(hit.isHit()).isTrue();
			assertThat(hit.result().asInt()).isEqualTo(3);
		});
	}

	@Test
	void callbacksRunInProcessAndQuarantinesGoToTheConsumersByDefault() {
		this.contextRunner.run((context) -> {
			ProcessingSettings settings = context.getBean(ProcessingSettings.class);
			assertThat(settings.callbackDelivery()).isEqualTo(CallbackDelivery.IN_PROCESS);
			assertThat(settings.quarantineDestination()).isEqualTo(QuarantineDestination.CONSUMERS);
			assertThat(settings.callbackTaskName("thumbnail")).isEqualTo("backache.callback.thumbnail");
			assertThat(settings.quarantineTask()).isEqualTo("backache.quarantine-consumer");
			assertThat(settings.quarantineQueue()).isEqualTo("backache-queue");
		});
	}

	@Test
	void backachesDeliveryIsChosenByProperties() {
		this.contextRunner.withUserConfiguration(WordsConfiguration.class)
			.withPropertyValues("celeriac.processing.callback-delivery=task",
					"celeriac.processing.callback-task-prefix=legacy.callback.",
					"celeriac.processing.quarantine-destination=task",
					"celeriac.processing.quarantine-task=legacy.quarantine", "celeriac.processing.quarantine-queue=dlq",
					"celeriac.topology.queues=legacy,dlq")
			.run((context) -> {
				ProcessingSettings settings = context.getBean(ProcessingSettings.class);
				assertThat(settings.callbackDelivery()).isEqualTo(CallbackDelivery.TASK);
				assertThat(settings.callbackTaskName("words")).isEqualTo("legacy.callback.words");
				assertThat(settings.quarantineDestination()).isEqualTo(QuarantineDestination.TASK);
				assertThat(settings.quarantineTask()).isEqualTo("legacy.quarantine");
				assertThat(settings.quarantineQueue()).isEqualTo("dlq");
				// backache's quarantine task replaces the consumers' queue
				assertThat(context.getBean(TaskRegistry.class).names()).contains("processing.process")
					.doesNotContain("processing-quarantine.consume");
			});
	}

	@Test
	void aCallbackTaskWithoutItsQueueStopsStartupNamingTheProperty() {
		this.contextRunner.withUserConfiguration(WordsConfiguration.class)
			.withPropertyValues("celeriac.processing.callback-delivery=task")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("'backache.callback.words' routes with key 'backache'")
				.hasStackTraceContaining("add 'backache' to celeriac.topology.queues"));
	}

	@Test
	void aQuarantineQueueOutsideTheTopologyStopsStartupNamingTheProperty() {
		this.contextRunner.withUserConfiguration(WordsConfiguration.class)
			.withPropertyValues("celeriac.processing.quarantine-destination=task")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("quarantine queue 'backache-queue' is not in the topology")
				.hasStackTraceContaining("celeriac.topology.queues"));
	}

	@Test
	void aBlankQuarantineQueueStopsStartup() {
		this.contextRunner.withPropertyValues("celeriac.processing.quarantine-queue= ")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("quarantine queue must be non-blank"));
	}

	@Test
	void quarantinedRequestsReachTheQuarantineConsumerBeans() {
		this.contextRunner.withUserConfiguration(WordsConfiguration.class).run((context) -> {
			OperationOutcome outcome = context.getBean(CachedOperations.class)
				.getOrDelegate("words", "doc:", "caller-1");
			assertThat(outcome.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.QUARANTINED);
			Words words = context.getBean(Words.class);
			await().atMost(WAIT).until(() -> words.quarantined.size() == 1);
			assertThat(words.quarantined.get(0).kwargs()).isEqualTo(Map.of("reason", "empty"));
		});
	}

	@Test
	void resultsAreKeptAsLongAsTheRegionOfTheirOperationSays() {
		this.contextRunner.withUserConfiguration(WordsConfiguration.class)
			.withPropertyValues("celeriac.cache.regions.short.expires=30s", "celeriac.cache.regions.long.expires=2h",
					"celeriac.processing.operations.words.region=short", "celeriac.processing.region=long")
			.run((context) -> {
				ProcessingSettings settings = context.getBean(ProcessingSettings.class);
				assertThat(settings.expires("words")).isEqualTo(Duration.ofSeconds(30));
				assertThat(settings.expires("other")).isEqualTo(Duration.ofHours(2));
			});
	}

	@Test
	void withNoRegionResultsAreKeptForTheDefaultExpiry() {
		this.contextRunner.withPropertyValues("celeriac.processing.expires=15m")
			.run((context) -> assertThat(context.getBean(ProcessingSettings.class).expires("words"))
				.isEqualTo(Duration.ofMinutes(15)));
	}

	@Test
	void aRegionThatIsNotConfiguredStopsStartupNamingTheProperties() {
		this.contextRunner.withUserConfiguration(WordsConfiguration.class)
			.withPropertyValues("celeriac.processing.operations.words.region=missing")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("celeriac.processing.operations.words.region")
				.hasMessageContaining("celeriac.cache.regions.missing.expires"));
	}

	@Test
	void aCallbackWithoutItsOperationStopsStartup() {
		this.contextRunner.withUserConfiguration(OrphanCallbackConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@OperationCallback(\"nothing\")")
				.hasStackTraceContaining("names no @Operation"));
	}

	@Test
	void theRedisStoreFollowsTheCacheBackend() {
		this.contextRunner.withUserConfiguration(RedisConfiguration.class)
			.withPropertyValues("celeriac.cache.type=redis")
			.run((context) -> assertThat(context).getBean(OperationStore.class)
				.isInstanceOf(RedisOperationStore.class));
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withUserConfiguration(UserStoreConfiguration.class, RedisConfiguration.class)
			.withPropertyValues("celeriac.cache.type=redis")
			.run((context) -> assertThat(context).getBean(OperationStore.class).isSameAs(UserStoreConfiguration.STORE));
	}

	@Test
	void withoutSpringDataRedisTheRedisStoreIsNotConfigured() {
		// without the cache regions, which need a store of their own
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
					TaskAutoConfiguration.class, ProcessingAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("celeriac.cache.type=redis")
			.run((context) -> assertThat(context).doesNotHaveBean(OperationStore.class)
				.doesNotHaveBean(CachedOperations.class));
	}

	@Test
	void withoutCeleriacProcessingNothingIsConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(CachedOperations.class))
			.run((context) -> assertThat(context).doesNotHaveBean(OperationStore.class)
				.doesNotHaveBean("celeriacOperationBeanPostProcessor"));
	}

	@Configuration(proxyBeanMethods = false)
	static class WordsConfiguration {

		@Bean
		Words words() {
			return new Words();
		}

	}

	static class Words implements QuarantineConsumer {

		final List<String> callbacks = new CopyOnWriteArrayList<>();

		final List<QuarantinedOperation> quarantined = new CopyOnWriteArrayList<>();

		@Operation("words")
		public int count(String uri, OperationContext context) {
			String text = uri.substring("doc:".length()).trim();
			if (text.isEmpty()) {
				throw context.quarantine(Map.of("reason", "empty"));
			}
			return text.split("\\s+").length;
		}

		@OperationCallback("words")
		public void counted(int words, List<String> callers) {
			this.callbacks.add(words + " for " + callers);
		}

		@Override
		public void consume(QuarantinedOperation request) {
			this.quarantined.add(request);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrphanCallbackConfiguration {

		@Bean
		Orphan orphan() {
			return new Orphan();
		}

	}

	static class Orphan {

		@OperationCallback("nothing")
		public void done(String result, List<String> callers) {
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

		static final OperationStore STORE = new InMemoryOperationStore();

		@Bean
		OperationStore myStore() {
			return STORE;
		}

	}

}

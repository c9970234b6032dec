package io.celeriac.autoconfigure.observation;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.observation.DefaultTaskPublishObservationConvention;
import io.celeriac.observation.ObservationTaskInterceptor;
import io.celeriac.observation.TaskProcessContext;
import io.celeriac.observation.TaskPublishContext;
import io.celeriac.observation.TaskPublishObservationConvention;
import io.celeriac.task.Deferrable;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskObservationAutoConfiguration} and the observation wiring of the
 * task client, on the in-memory broker.
 *
 * @author Celeriac team
 */
class TaskObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
				TaskObservationAutoConfiguration.class))
		.withUserConfiguration(ObservedTasksConfiguration.class);

	@Test
	void withoutAnObservationRegistryNothingIsObserved() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ObservationTaskInterceptor.class);
			assertThat(context.getBean(ObservedTasks.class).twice(21).get(10, TimeUnit.SECONDS)).isEqualTo(42);
		});
	}

	@Test
	void withoutMicrometerObservationNothingIsWired() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class)
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationTaskInterceptor.class));
	}

	@Test
	void aRegistryObservesThePublishAndTheRunWithBoundedTags() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ObservationTaskInterceptor.class);
			assertThat(context.getBean(ObservedTasks.class).twice(21).get(10, TimeUnit.SECONDS)).isEqualTo(42);
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> handler.stopped.size() == 2);
			TaskPublishContext publish = handler.stopped(TaskPublishContext.class);
			assertThat(publish.getName()).isEqualTo("celeriac.task.publish");
			assertThat(publish.getLowCardinalityKeyValues()).extracting(KeyValue::getKey)
				.containsExactlyInAnyOrder("celeriac.task.name", "celeriac.task.routing-key");
			assertThat(publish.getLowCardinalityKeyValue("celeriac.task.name").getValue()).isEqualTo("observed.twice");
			TaskProcessContext process = handler.stopped(TaskProcessContext.class);
			assertThat(process.getName()).isEqualTo("celeriac.task.process");
			assertThat(process.getLowCardinalityKeyValues()).extracting(KeyValue::getKey)
				.containsExactly("celeriac.task.name");
			assertThat(process.getHighCardinalityKeyValue("celeriac.task.id").getValue())
				.isEqualTo(publish.getTaskId());
		});
	}

	@Test
	void aUserConventionIsUsed() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class)
			.withBean(TaskPublishObservationConvention.class, () -> new DefaultTaskPublishObservationConvention() {

				@Override
				public String getName() {
					return "custom.publish";
				}

			})
			.run((context) -> {
				context.getBean(ObservedTasks.class).twice(1).get(10, TimeUnit.SECONDS);
				RecordingHandler handler = context.getBean(RecordingHandler.class);
				Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> handler.stopped.size() == 2);
				assertThat(handler.stopped(TaskPublishContext.class).getName()).isEqualTo("custom.publish");
			});
	}

	@Test
	void aUserInterceptorWins() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class)
			.withBean("userInterceptor", ObservationTaskInterceptor.class,
					() -> new ObservationTaskInterceptor(ObservationRegistry.NOOP))
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationTaskInterceptor.class).hasBean("userInterceptor");
				context.getBean(ObservedTasks.class).twice(1).get(10, TimeUnit.SECONDS);
				RecordingHandler handler = context.getBean(RecordingHandler.class);
				assertThat(handler.stopped).extracting(Observation.Context::getName)
					.containsExactly("celeriac.task.publish");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ObservedTasksConfiguration {

		@Bean
		ObservedTasks observedTasks() {
			return new ObservedTasks();
		}

	}

	public static class ObservedTasks {

		@Deferrable(name = "observed.twice")
		public CompletableFuture<Integer> twice(int value) {
			return CompletableFuture.completedFuture(value * 2);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingRegistryConfiguration {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

		@Bean
		ObservationRegistry observationRegistry(RecordingHandler handler) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(handler);
			return registry;
		}

	}

	static class RecordingHandler implements ObservationHandler<Observation.Context> {

		private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		<T extends Observation.Context> T stopped(Class<T> type) {
			return this.stopped.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
		}

	}

}

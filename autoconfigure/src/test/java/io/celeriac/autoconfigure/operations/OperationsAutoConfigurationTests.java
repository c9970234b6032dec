package io.celeriac.autoconfigure.operations;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.monitor.MonitorAutoConfiguration;
import io.celeriac.autoconfigure.registry.WorkerRegistryAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.cache.CacheRegion;
import io.celeriac.operations.MeteredBroker;
import io.celeriac.operations.MeteredResultStore;
import io.celeriac.operations.QueueWaitMeter;
import io.celeriac.operations.endpoint.CeleriacEndpoint;
import io.celeriac.operations.health.CeleriacBrokerHealthIndicator;
import io.celeriac.operations.health.CeleriacResultStoreHealthIndicator;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.ResultStore;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CeleriacOperationsAutoConfiguration} on the in-memory backends:
 * health, metrics after a known workload, and the endpoint's pause, resume, requeue and
 * discard.
 *
 * @author Celeriac team
 */
class OperationsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
				WorkerAutoConfiguration.class, CeleriacOperationsAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=celeriac")
		.withBean(Jobs.class);

	@Test
	void brokerHealthListsTheWorkersQueuesAndErrorQueuesWithDepths() {
		this.contextRunner.run((context) -> {
			Health health = context.getBean("celeriacHealthIndicator", HealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("exchange", "task_exchange");
			@SuppressWarnings("unchecked")
			Map<String, Object> queues = (Map<String, Object>) health.getDetails().get("queues");
			assertThat(queues).containsEntry("dev-jobs", Map.of("exists", true, "depth", 0L))
				.containsEntry("dev-jobs.error", Map.of("exists", true, "depth", 0L));
			Health results = context.getBean("celeriacResultsHealthIndicator", HealthIndicator.class).health(true);
			assertThat(results.getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void workerHealthIsUpWithItsPendingOutcomesAndTheirBoundFromTheProperty() {
		this.contextRunner.withPropertyValues("celeriac.worker.pending-outcomes=7").run((context) -> {
			Health health = context.getBean("celeriacWorkerHealthIndicator", HealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("pendingOutcomes", 0)
				.containsEntry("pendingOutcomesBound", 7);
		});
	}

	@Test
	void pendingOutcomesDefaultToThePrefetch() {
		this.contextRunner.withPropertyValues("celeriac.worker.prefetch=13")
			.run((context) -> assertThat(context.getBean(TaskWorker.class).outcomes().bound()).isEqualTo(13));
	}

	@Test
	void brokerHealthIsDownAndSaysWhichQueueIsMissing() {
		this.contextRunner.run((context) -> {
			context.getBean(TaskWorker.class).stop();
			unwrap(context.getBean(Broker.class)).deleteQueue("dev-jobs.error");
			Health health = context.getBean("celeriacHealthIndicator", HealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "Queues do not exist: [dev-jobs.error]");
		});
	}

	@Test
	void aUserHealthIndicatorWins() {
		HealthIndicator mine = () -> Health.up().withDetail("mine", true).build();
		this.contextRunner.withBean("celeriacHealthIndicator", HealthIndicator.class, () -> mine)
			.run((context) -> assertThat(context.getBean("celeriacHealthIndicator")).isSameAs(mine));
	}

	@Test
	void healthIndicatorsCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("management.health.celeriac.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CeleriacBrokerHealthIndicator.class)
				.hasSingleBean(CeleriacResultStoreHealthIndicator.class));
	}

	@Test
	void withoutTheHealthModuleThereAreNoIndicators() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CeleriacBrokerHealthIndicator.class)
				.doesNotHaveBean(CeleriacResultStoreHealthIndicator.class));
	}

	@Test
	void withoutActuatorThereIsNoEndpoint() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CeleriacEndpoint.class));
	}

	@Test
	void withoutTheDashboardModuleThereIsNoEndpointAndNoIndicatorButMetricsRemain() {
		this.contextRunner
			.withClassLoader(
					new FilteredClassLoader("io.celeriac.operations.endpoint", "io.celeriac.operations.health"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(CeleriacEndpoint.class)
					.doesNotHaveBean(CeleriacBrokerHealthIndicator.class)
					.doesNotHaveBean(CeleriacResultStoreHealthIndicator.class)
					.hasSingleBean(QueueWaitMeter.class);
				assertThat(context.getBean(Broker.class)).isInstanceOf(MeteredBroker.class);
			});
	}

	@Test
	void withoutMicrometerNothingIsMetered() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
					ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
					CeleriacOperationsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Broker.class)).isNotInstanceOf(MeteredBroker.class);
				assertThat(context.getBean(ResultStore.class)).isNotInstanceOf(MeteredResultStore.class);
			});
	}

	@Test
	void metricsCountAKnownWorkload() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			OperationsWorkload.send(context.getBean(Jobs.class), 3, 2, 2);
			OperationsWorkload.assertCounts(registry, "jobs", 3, 2, 2, WAIT);
			// every run of a task sent from Java measures its wait in the queue once
			assertThat(registry.get(QueueWaitMeter.QUEUED).tag("name", "jobs.ok").timer().count()).isEqualTo(3);
			assertThat(registry.get(QueueWaitMeter.QUEUED).tag("name", "jobs.fail").timer().count()).isEqualTo(2);
			assertThat(registry.get(QueueWaitMeter.QUEUED).tag("name", "jobs.flaky").timer().count()).isEqualTo(4);
			assertThat(registry.get("celeriac.queue.depth").tag("queue", "dev-jobs").gauge().value()).isZero();
			// a task that raised is moved to the error queue
			assertThat(registry.get("celeriac.queue.error.depth").tag("queue", "dev-jobs").gauge().value())
				.isEqualTo(2);
		});
	}

	@Test
	void pauseStopsConsumptionAndResumeRunsWhatWaited() {
		this.contextRunner.run((context) -> {
			CeleriacEndpoint endpoint = context.getBean(CeleriacEndpoint.class);
			assertThat(endpoint.operate("pause", null, null).running()).isFalse();
			context.getBean(Jobs.class).ok(21);
			assertThat(depth(endpoint, "dev-jobs")).isEqualTo(1);
			assertThat(endpoint.operate("resume", null, null).running()).isTrue();
			await().atMost(WAIT).until(() -> depth(endpoint, "dev-jobs") == 0);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(WAIT)
				.until(() -> registry.find("celeriac.tasks").tag("state", "succeeded").counter() != null);
		});
	}

	@Test
	void requeueMovesTheOriginalBackAndDiscardDropsIt() {
		this.contextRunner.run((context) -> {
			CeleriacEndpoint endpoint = context.getBean(CeleriacEndpoint.class);
			TaskClient client = context.getBean(TaskClient.class);
			client.send("jobs.missing", List.of(1), Map.of(), TaskOptions.defaults());
			client.send("jobs.missing", List.of(2), Map.of(), TaskOptions.defaults());
			await().atMost(WAIT).until(() -> errorDepth(endpoint, "dev-jobs") == 2);
			endpoint.operate("pause", null, null);

			assertThat(endpoint.operate("requeue", "dev-jobs.error", 1).messages()).isEqualTo(1);
			assertThat(depth(endpoint, "dev-jobs")).isEqualTo(1);
			assertThat(errorDepth(endpoint, "dev-jobs")).isEqualTo(1);
			Delivery requeued = context.getBean(Broker.class).get("dev-jobs");
			assertThat(requeued).isNotNull();
			assertThat(requeued.routingKey()).isEqualTo("jobs");
			assertThat(requeued.message().headers()).containsEntry("task", "jobs.missing")
				.doesNotContainKeys(ErrorHeaders.KIND, ErrorHeaders.REASON, ErrorHeaders.ROUTING_KEY);
			requeued.ack();

			assertThat(endpoint.operate("discard", "dev-jobs.error", null).messages()).isEqualTo(1);
			assertThat(errorDepth(endpoint, "dev-jobs")).isZero();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.operate("requeue", "dev-jobs", 1))
				.withMessageContaining("is not an error queue");
		});
	}

	@Test
	void theEndpointRefusesAnErrorQueueThatIsNotOfThisApplicationsTopology() {
		this.contextRunner.run((context) -> {
			CeleriacEndpoint endpoint = context.getBean(CeleriacEndpoint.class);
			Broker broker = context.getBean(Broker.class);
			// another application's service on the same broker, exchange and prefix
			broker.declare(new Topology("task_exchange", "dev-", null, Set.of("billing"), QueueType.CLASSIC, ".error"));
			broker
				.publish(Broker.DEFAULT_EXCHANGE, "dev-billing.error",
						new WireMessage(new byte[0], "application/json", "utf-8", Map.of(), "billing-1", null, 0, true,
								null))
				.get(5, TimeUnit.SECONDS);
			assertThat(broker.messageCount("dev-billing.error")).isOne();
			for (String operation : List.of("requeue", "discard")) {
				assertThatExceptionOfType(InvalidEndpointRequestException.class)
					.isThrownBy(() -> endpoint.operate(operation, "dev-billing.error", null))
					.withMessageContaining("'dev-billing.error' is not an error queue of this application's topology")
					.withMessageContaining("dev-jobs.error")
					.withMessageContaining("celeriac.topology.queues")
					.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(ex.getMessage()));
			}
			assertThat(broker.messageCount("dev-billing.error")).as("nothing taken from it").isOne();
			// the application's own error queues stay operable
			assertThat(endpoint.operate("discard", "dev-jobs.error", null).messages()).isZero();
		});
	}

	@Test
	void aServiceOfTheTopologysQueuesIsOfThisApplicationsTopology() {
		this.contextRunner.withPropertyValues("celeriac.topology.queues=billing").run((context) -> {
			CeleriacEndpoint endpoint = context.getBean(CeleriacEndpoint.class);
			assertThat(endpoint.operate("discard", "dev-billing.error", null).messages()).isZero();
		});
	}

	@Test
	void theEndpointDescribesTopologyBackendsAndTasksAsJson() {
		this.contextRunner.run((context) -> {
			CeleriacEndpoint.CeleriacDescriptor descriptor = context.getBean(CeleriacEndpoint.class).celeriac();
			String json = context.getBean(JsonMapper.class)
				.writerWithDefaultPrettyPrinter()
				.writeValueAsString(descriptor);
			assertThat(descriptor.topology().exchange()).isEqualTo("task_exchange");
			assertThat(descriptor.topology().queues()).singleElement()
				.satisfies((queue) -> assertThat(queue.errorQueue()).isEqualTo("dev-jobs.error"));
			assertThat(descriptor.tasks()).containsExactly("jobs.fail", "jobs.flaky", "jobs.ok");
			assertThat(descriptor.backends()).containsEntry("broker", "memory");
			assertThat(json).contains("\"queueNamePrefix\" : \"dev-\"", "\"errorQueueDepth\" : 0",
					"\"running\" : true");
		});
	}

	@Test
	void theEndpointShowsWorkersRecentTasksAndCacheStatisticsAsJson() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, MonitorAutoConfiguration.class,
					WorkerRegistryAutoConfiguration.class, CacheRegionAutoConfiguration.class))
			.withPropertyValues("celeriac.monitor.enabled=true", "celeriac.worker.name=celeriac@docs-host",
					"celeriac.worker.heartbeat-interval=100ms", "celeriac.cache.regions.short_term.expires=30s")
			.withBean(Prices.class)
			.run((context) -> {
				CeleriacEndpoint endpoint = context.getBean(CeleriacEndpoint.class);
				context.getBean(Jobs.class).ok(21);
				await().atMost(WAIT)
					.until(() -> endpoint.celeriac().recentTasks(), (tasks) -> tasks.size() == 1
							&& tasks.get(0).state() != null && tasks.get(0).state().equals("SUCCESS"));
				Prices prices = context.getBean(Prices.class);
				prices.price("celery");
				prices.price("celery");
				await().atMost(WAIT).until(() -> endpoint.celeriac().workers(), (workers) -> !workers.isEmpty());
				CeleriacEndpoint.CeleriacDescriptor descriptor = endpoint.celeriac();
				assertThat(descriptor.workers()).singleElement().satisfies((worker) -> {
					assertThat(worker.id()).isEqualTo("celeriac@docs-host");
					assertThat(worker.queues()).containsExactly("dev-jobs");
					assertThat(worker.pid()).isEqualTo(ProcessHandle.current().pid());
					assertThat(worker.consuming()).isTrue();
				});
				assertThat(descriptor.recentTasks()).singleElement().satisfies((task) -> {
					assertThat(task.name()).isEqualTo("jobs.ok");
					assertThat(task.routingKey()).isEqualTo("jobs");
					assertThat(task.worker()).isEqualTo("celeriac@docs-host");
				});
				assertThat(descriptor.cache()).singleElement().satisfies((statistics) -> {
					assertThat(statistics.region()).isEqualTo("short_term");
					assertThat(statistics.namespace()).isEqualTo("prices");
					assertThat(statistics.hits()).isEqualTo(1);
					assertThat(statistics.misses()).isEqualTo(1);
				});
				String json = context.getBean(JsonMapper.class)
					.writerWithDefaultPrettyPrinter()
					.writeValueAsString(descriptor);
				assertThat(json).contains("\"workers\" : [", "\"workingOn\" : [ ]", "\"recentTasks\" : [",
						"\"state\" : \"SUCCESS\"", "\"cache\" : [", "\"staleServes\" : 0");
				// shown in docs/operations.md
				System.out.println("GET /actuator/celeriac:\n" + json);
			});
	}

	@Test
	void withoutRegistryMonitorOrCacheTheirSectionsAreNull() {
		this.contextRunner.run((context) -> {
			CeleriacEndpoint.CeleriacDescriptor descriptor = context.getBean(CeleriacEndpoint.class).celeriac();
			assertThat(descriptor.workers()).isNull();
			assertThat(descriptor.recentTasks()).isNull();
			assertThat(descriptor.cache()).isNull();
		});
	}

	/**
	 * A cached method, for the cache statistics.
	 */
	public static class Prices {

		@CacheRegion(value = "short_term", namespace = "prices")
		public int price(String item) {
			return item.length();
		}

	}

	private static long depth(CeleriacEndpoint endpoint, String queue) {
		return endpoint.celeriac()
			.topology()
			.queues()
			.stream()
			.filter((depth) -> depth.name().equals(queue))
			.findFirst()
			.orElseThrow()
			.depth();
	}

	private static long errorDepth(CeleriacEndpoint endpoint, String queue) {
		return endpoint.celeriac()
			.topology()
			.queues()
			.stream()
			.filter((depth) -> depth.name().equals(queue))
			.findFirst()
			.orElseThrow()
			.errorQueueDepth();
	}

	private static io.celeriac.broker.memory.InMemoryBroker unwrap(Broker broker) {
		return (io.celeriac.broker.memory.InMemoryBroker) ((broker instanceof MeteredBroker metered)
				? metered.delegate() : broker);
	}

}

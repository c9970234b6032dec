package io.celeriac.autoconfigure.operations;

import java.util.List;

import io.celeriac.autoconfigure.CeleriacBackends;
import io.celeriac.autoconfigure.task.BrokerProperties;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.cache.CacheRegions;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.operations.QueueDepthMeters;
import io.celeriac.operations.QueueInspector;
import io.celeriac.operations.QueueWaitMeter;
import io.celeriac.operations.endpoint.CeleriacEndpoint;
import io.celeriac.operations.health.CeleriacBrokerHealthIndicator;
import io.celeriac.operations.health.CeleriacResultStoreHealthIndicator;
import io.celeriac.operations.health.CeleriacWorkerHealthIndicator;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.result.ResultStore;
import io.celeriac.schedule.RecurringTaskScheduler;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for operating Celeriac: the broker
 * and result store health indicators, Micrometer meters for tasks and queues, and the
 * {@code celeriac} Actuator endpoint, each when its library is on the class path (the
 * indicators and the endpoint are in {@code celeriac-dashboard}).
 *
 * @author Celeriac team
 */
@AutoConfiguration(
		after = { TaskAutoConfiguration.class, WorkerAutoConfiguration.class, ResultStoreAutoConfiguration.class },
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@Import({ CeleriacOperationsAutoConfiguration.Metrics.class, CeleriacOperationsAutoConfiguration.Queues.class })
@EnableConfigurationProperties(BrokerProperties.class)
public final class CeleriacOperationsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean
		static MeteredBeanPostProcessor celeriacMeteredBeanPostProcessor(ObjectProvider<MeterRegistry> registry) {
			return new MeteredBeanPostProcessor(registry);
		}

		@Bean
		@ConditionalOnBean(MeterRegistry.class)
		@ConditionalOnMissingBean
		QueueWaitMeter celeriacQueueWaitMeter(MeterRegistry registry) {
			return new QueueWaitMeter(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Broker.class)
	@Import({ QueueMetrics.class, Health.class, ActuatorEndpoint.class })
	static class Queues {

		@Bean
		@ConditionalOnMissingBean
		QueueInspector celeriacQueueInspector(Broker broker, Topology topology, ObjectProvider<TaskWorker> worker) {
			return new QueueInspector(broker, topology, () -> {
				TaskWorker taskWorker = worker.getIfAvailable();
				return (taskWorker != null) ? taskWorker.queues()
						: List.copyOf(topology.services().stream().map(topology::queueName).toList());
			});
		}

		@Bean
		@ConditionalOnMissingBean
		ErrorQueueService celeriacErrorQueueService(Broker broker, Topology topology, BrokerProperties properties) {
			return new ErrorQueueService(broker, topology, properties.getConfirmTimeout());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	// nested, so registered whatever Queues' condition says: the same condition again
	@ConditionalOnBean(Broker.class)
	static class QueueMetrics {

		@Bean
		@ConditionalOnMissingBean
		QueueDepthMeters celeriacQueueDepthMeters(QueueInspector inspector) {
			return new QueueDepthMeters(inspector);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class,
			CeleriacBrokerHealthIndicator.class })
	// nested, so registered whatever Queues' condition says: the same condition again
	@ConditionalOnBean(Broker.class)
	static class Health {

		@Bean
		@ConditionalOnEnabledHealthIndicator("celeriac")
		@ConditionalOnMissingBean(name = { "celeriacHealthIndicator", "celeriacHealthContributor" })
		CeleriacBrokerHealthIndicator celeriacHealthIndicator(QueueInspector inspector) {
			return new CeleriacBrokerHealthIndicator(inspector);
		}

		@Bean
		@ConditionalOnBean(ResultStore.class)
		@ConditionalOnEnabledHealthIndicator("celeriac-results")
		@ConditionalOnMissingBean(name = { "celeriacResultsHealthIndicator", "celeriacResultsHealthContributor" })
		CeleriacResultStoreHealthIndicator celeriacResultsHealthIndicator(ResultStore store) {
			return new CeleriacResultStoreHealthIndicator(store);
		}

		@Bean
		@ConditionalOnBean(TaskWorker.class)
		@ConditionalOnEnabledHealthIndicator("celeriac-worker")
		@ConditionalOnMissingBean(name = { "celeriacWorkerHealthIndicator", "celeriacWorkerHealthContributor" })
		CeleriacWorkerHealthIndicator celeriacWorkerHealthIndicator(TaskWorker worker) {
			return new CeleriacWorkerHealthIndicator(worker);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, CeleriacEndpoint.class })
	@ConditionalOnAvailableEndpoint(CeleriacEndpoint.class)
	// nested, so registered whatever Queues' condition says: the same condition again
	@ConditionalOnBean(Broker.class)
	static class ActuatorEndpoint {

		@Bean
		@ConditionalOnMissingBean
		CeleriacEndpoint celeriacEndpoint(QueueInspector inspector, CeleriacBackends backends,
				ObjectProvider<TaskRegistry> registry, ObjectProvider<TaskWorker> worker, ErrorQueueService errorQueues,
				ObjectProvider<WorkerRegistry> workers, ObjectProvider<TaskHistory> tasks,
				ObjectProvider<CacheRegions> cache, ObjectProvider<RecurringTaskScheduler> schedules) {
			return new CeleriacEndpoint(inspector, backends.names(), registry.getIfAvailable(), worker.getIfAvailable(),
					errorQueues, new CeleriacEndpoint.Sources(workers.getIfAvailable(), tasks.getIfAvailable(),
							cache.getIfAvailable(), schedules.getIfAvailable()));
		}

	}

}

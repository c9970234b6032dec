package io.celeriac.autoconfigure.processing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.cache.CacheProperties;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.processing.CachedOperations;
import io.celeriac.processing.CallbackDelivery;
import io.celeriac.processing.OperationBeanPostProcessor;
import io.celeriac.processing.OperationConfigurationException;
import io.celeriac.processing.OperationRegistry;
import io.celeriac.processing.OperationStore;
import io.celeriac.processing.OperationTasks;
import io.celeriac.processing.ProcessingSettings;
import io.celeriac.processing.QuarantineConsumer;
import io.celeriac.processing.QuarantineDestination;
import io.celeriac.processing.memory.InMemoryOperationStore;
import io.celeriac.processing.redis.RedisOperationStore;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for cached operations: the
 * {@link OperationStore} of the cache backend ({@code celeriac.cache.type}), the
 * registration of {@code @Operation} and {@code @OperationCallback} methods,
 * {@link CachedOperations}, and the processing and quarantine tasks, registered once
 * every bean exists and only if the application defines an operation (so that an
 * application without one neither declares nor consumes their queues).
 *
 * @author Celeriac team
 */
@AutoConfiguration(
		after = { CeleriacAutoConfiguration.class, TaskAutoConfiguration.class, CacheRegionAutoConfiguration.class },
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(CachedOperations.class)
@Import({ ProcessingAutoConfiguration.InMemory.class, ProcessingAutoConfiguration.Redis.class })
@EnableConfigurationProperties({ CacheProperties.class, ProcessingProperties.class, RedisProperties.class })
public final class ProcessingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static OperationRegistry celeriacOperationRegistry() {
		return new OperationRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static OperationBeanPostProcessor celeriacOperationBeanPostProcessor(OperationRegistry celeriacOperationRegistry) {
		return new OperationBeanPostProcessor(celeriacOperationRegistry);
	}

	@Bean
	@ConditionalOnMissingBean
	ProcessingSettings celeriacProcessingSettings(ProcessingProperties processing, CacheProperties cache) {
		Map<String, Duration> expiries = new LinkedHashMap<>();
		processing.getOperations().forEach((name, operation) -> {
			String region = operation.getRegion();
			if (region != null) {
				expiries.put(name, expires(cache, region, "celeriac.processing.operations." + name + ".region"));
			}
		});
		String region = processing.getRegion();
		Duration fallback = (region != null) ? expires(cache, region, "celeriac.processing.region")
				: processing.getExpires();
		return new ProcessingSettings(processing.getService(), processing.getQuarantineService(),
				processing.getPendingTimeout(), processing.getOutcomeRetention(), expiries, fallback,
				processing.getCallbackDelivery(), processing.getCallbackTaskPrefix(),
				processing.getQuarantineDestination(), processing.getQuarantineTask(), processing.getQuarantineQueue());
	}

	private static Duration expires(CacheProperties properties, String region, String property) {
		CacheProperties.Region settings = properties.getRegions().get(region);
		Duration expires = (settings != null) ? settings.getExpires() : null;
		if (expires == null) {
			throw new OperationConfigurationException(property + " names cache region '" + region
					+ "', which is not configured: add celeriac.cache.regions." + region + ".expires (regions: "
					+ properties.getRegions().keySet() + ")");
		}
		return expires;
	}

	@Bean
	@ConditionalOnBean({ OperationStore.class, TaskClient.class, CeleryProtocol.class })
	@ConditionalOnMissingBean
	CachedOperations cachedOperations(OperationStore store, OperationRegistry registry, TaskClient client,
			CeleryProtocol protocol, ProcessingSettings settings) {
		return new CachedOperations(store, registry, client, protocol.mapper(), settings);
	}

	@Bean
	@ConditionalOnBean(CachedOperations.class)
	@ConditionalOnMissingBean
	OperationTasks celeriacOperationTasks(CachedOperations operations, OperationStore store, OperationRegistry registry,
			TaskClient client, CeleryProtocol protocol, ProcessingSettings settings,
			ObjectProvider<QuarantineConsumer> consumers) {
		return new OperationTasks(operations, store, registry, client, protocol.mapper(), settings,
				consumers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnBean(OperationTasks.class)
	@ConditionalOnMissingBean(name = "celeriacOperationTaskRegistration")
	SmartInitializingSingleton celeriacOperationTaskRegistration(OperationTasks tasks, OperationRegistry registry,
			TaskRegistry taskRegistry, ProcessingSettings settings, ObjectProvider<Topology> topology,
			ObjectProvider<TaskRouter> router) {
		// runs once every bean (so every @Operation) is registered, and before the
		// topology is declared and the worker starts
		return () -> {
			if (!registry.names().isEmpty()) {
				tasks.validate();
				Topology declared = topology.getIfAvailable();
				TaskRouter routes = router.getIfAvailable();
				if (declared != null && routes != null) {
					checkWireNames(settings, registry, declared, routes);
				}
				tasks.registerTasks(taskRegistry);
			}
		};
	}

	/**
	 * backache's tasks go to queues no task of this application names: without their
	 * queue in the topology, a broker would drop them unrouted.
	 */
	private static void checkWireNames(ProcessingSettings settings, OperationRegistry registry, Topology topology,
			TaskRouter router) {
		if (settings.callbackDelivery() == CallbackDelivery.TASK) {
			for (String operation : registry.names()) {
				String task = settings.callbackTaskName(operation);
				String key = router.routingKey(task);
				if (!topology.services().contains(key)) {
					throw new OperationConfigurationException("celeriac.processing.callback-delivery is task, but "
							+ "the callback task '" + task + "' routes with key '" + key + "', which no queue of the "
							+ "topology is bound with: add '" + key + "' to celeriac.topology.queues");
				}
			}
		}
		if (settings.quarantineDestination() == QuarantineDestination.TASK
				&& !topology.services().contains(settings.quarantineQueue())) {
			throw new OperationConfigurationException("celeriac.processing.quarantine-destination is task, but the "
					+ "quarantine queue '" + settings.quarantineQueue() + "' is not in the topology: add it to "
					+ "celeriac.topology.queues (or change celeriac.processing.quarantine-queue)");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.CACHE, value = "memory")
	static class InMemory {

		@Bean
		@ConditionalOnMissingBean
		OperationStore celeriacOperationStore() {
			return new InMemoryOperationStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.CACHE, value = "redis")
	static class Redis {

		@Bean
		@ConditionalOnBean(RedisConnectionFactory.class)
		@ConditionalOnMissingBean
		OperationStore celeriacOperationStore(RedisConnectionFactory connectionFactory, RedisProperties properties) {
			return new RedisOperationStore(connectionFactory, properties.getKeyPrefix());
		}

	}

}

package io.celeriac.autoconfigure.registry;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.autoconfigure.worker.WorkerProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.registry.RunningTasks;
import io.celeriac.worker.WorkerHeartbeat;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.registry.memory.InMemoryWorkerRegistry;
import io.celeriac.registry.redis.RedisWorkerRegistry;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@link WorkerRegistry} (on
 * Redis or in memory, as {@code celeriac.registry.type} chooses) and, when this
 * application runs a worker, the {@link WorkerHeartbeat} that announces it every
 * {@code celeriac.worker.heartbeat-interval} (off with
 * {@code celeriac.registry.enabled=false}).
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = { CeleriacAutoConfiguration.class, WorkerAutoConfiguration.class },
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(WorkerRegistry.class)
@Import({ WorkerRegistryAutoConfiguration.RedisRegistryConfiguration.class,
		WorkerRegistryAutoConfiguration.InMemoryRegistryConfiguration.class })
@EnableConfigurationProperties({ RedisProperties.class, RegistryProperties.class, WorkerProperties.class })
public final class WorkerRegistryAutoConfiguration {

	// the heartbeat's beans are here rather than in a nested configuration, so that their
	// conditions see the registry registered by the imported ones

	@Bean
	@ConditionalOnBean({ TaskWorker.class, WorkerRegistry.class })
	@ConditionalOnBooleanProperty(name = "celeriac.registry.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	RunningTasks celeriacRunningTasks() {
		return new RunningTasks();
	}

	@Bean
	@ConditionalOnBean({ TaskWorker.class, WorkerRegistry.class, RunningTasks.class })
	@ConditionalOnBooleanProperty(name = "celeriac.registry.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	WorkerHeartbeat celeriacWorkerHeartbeat(WorkerRegistry registry, TaskWorker worker, WorkerSettings settings,
			RunningTasks running, RegistryProperties registryProperties, WorkerProperties workerProperties) {
		return new WorkerHeartbeat(registry, worker, settings.name(), running, workerProperties.getHeartbeatInterval(),
				registryProperties.getMissedHeartbeats());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.REGISTRY, value = "redis")
	static class RedisRegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean(WorkerRegistry.class)
		RedisWorkerRegistry celeriacWorkerRegistry(RedisConnectionFactory connectionFactory,
				RedisProperties properties) {
			return new RedisWorkerRegistry(connectionFactory, properties.getKeyPrefix());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.REGISTRY, value = "memory")
	static class InMemoryRegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean(WorkerRegistry.class)
		InMemoryWorkerRegistry celeriacWorkerRegistry() {
			return new InMemoryWorkerRegistry();
		}

	}

}

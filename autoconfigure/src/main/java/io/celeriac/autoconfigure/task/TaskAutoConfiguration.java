package io.celeriac.autoconfigure.task;

import java.util.LinkedHashSet;
import java.util.Set;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.autoconfigure.worker.WorkerProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.ResultWatcher;
import io.celeriac.security.MessageSigner;
import io.celeriac.security.MessageVerifier;
import io.celeriac.debounce.Debouncer;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.execution.CorrelationIdContributor;
import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.observation.TaskPublishObservationConvention;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.DeferrableBeanPostProcessor;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskClientExtensions;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.task.TaskRegistry;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
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
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for sending tasks: the broker chosen
 * by {@code celeriac.broker.type}, the topology, the {@link TaskClient}, and the proxies
 * of {@code @Deferrable} methods.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = { CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class },
		afterName = { "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
				"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@Import({ TaskAutoConfiguration.RabbitBackend.class, TaskAutoConfiguration.RedisBackend.class,
		TaskAutoConfiguration.SqsBackend.class, TaskAutoConfiguration.MemoryBackend.class })
@EnableConfigurationProperties({ BrokerProperties.class, RedisProperties.class, TopologyProperties.class,
		WorkerProperties.class })
public final class TaskAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE) // the post-processor below needs it early
	static TaskRegistry celeriacTaskRegistry() {
		return new TaskRegistry();
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static DeferrableBeanPostProcessor celeriacDeferrableBeanPostProcessor(TaskRegistry celeriacTaskRegistry,
			ObjectProvider<TaskClient> client) {
		return new DeferrableBeanPostProcessor(celeriacTaskRegistry, () -> {
			TaskClient available = client.getIfAvailable();
			if (available == null) {
				throw new IllegalStateException("A @Deferrable method was called but no TaskClient exists: no broker "
						+ "is available (see celeriac.broker.type and the condition report)");
			}
			return available;
		});
	}

	@Bean
	@ConditionalOnMissingBean
	CeleryProtocol celeriacProtocol(ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<MessageSigner> signer,
			ObjectProvider<MessageVerifier> verifier) {
		JsonMapper base = jsonMapper.getIfAvailable(JsonMapper::new);
		// a fraction must not silently become an int parameter
		return new CeleryProtocol(base.rebuild().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build(),
				signer.getIfAvailable(), verifier.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRouter celeriacTaskRouter() {
		return new FirstSegmentTaskRouter();
	}

	@Bean
	@ConditionalOnMissingBean
	Topology celeriacTopology(TopologyProperties topology, Environment environment) {
		return new Topology(topology.getExchange(), queueNamePrefix(topology, environment), topology.getMonitorQueue(),
				new LinkedHashSet<>(topology.getQueues()), topology.getQueueType(), topology.getErrorQueueSuffix(),
				topology.getMaxPriority(), topology.getExchangeType());
	}

	private static String queueNamePrefix(TopologyProperties topology, Environment environment) {
		if (topology.getQueueNamePrefix() != null) {
			return topology.getQueueNamePrefix();
		}
		String environmentName = environment.getProperty("QUEUE_PREFIX");
		return StringUtils.hasText(environmentName) ? environmentName + "-" : "dev-";
	}

	@Bean
	@ConditionalOnBean(Broker.class)
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "celeriac.topology.declare", matchIfMissing = true)
	TopologyDeclarer celeriacTopologyDeclarer(Broker broker, Topology topology, TaskRegistry registry,
			TaskRouter router, WorkerProperties properties) {
		return new TopologyDeclarer(broker, topology, () -> {
			Set<String> services = new LinkedHashSet<>(registry.services(router));
			services.addAll(properties.getQueues());
			return services;
		});
	}

	@Bean
	@ConditionalOnBean(Broker.class)
	@ConditionalOnMissingBean
	TaskClient celeriacTaskClient(Broker broker, Topology topology, TaskRouter router, CeleryProtocol protocol,
			ObjectProvider<ResultWatcher> watcher, ObjectProvider<Debouncer> debouncer,
			ObjectProvider<MetadataContributor> contributors, ObjectProvider<TaskLifecycleListener> listeners,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<TaskPublishObservationConvention> observationConvention) {
		return new BrokerTaskClient(broker, topology, router, protocol, watcher.getIfAvailable(),
				debouncer.getIfAvailable(),
				new TaskClientExtensions(contributors.orderedStream().toList(), listeners.orderedStream().toList(),
						observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP),
						observationConvention.getIfUnique()));
	}

	@Bean
	@ConditionalOnMissingBean
	CorrelationIdContributor celeriacCorrelationIdContributor() {
		return new CorrelationIdContributor();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.BROKER, value = "rabbit")
	static class RabbitBackend {

		@Bean
		@ConditionalOnMissingBean(Broker.class)
		RabbitBroker celeriacBroker(ConnectionFactory connectionFactory, BrokerProperties properties,
				ObjectProvider<DelayedTaskStore> delayedTasks) {
			return new RabbitBroker(connectionFactory, properties.getConfirmTimeout(), delayedCounter(delayedTasks));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.BROKER, value = "redis")
	static class RedisBackend {

		@Bean
		@ConditionalOnBean(RedisConnectionFactory.class)
		@ConditionalOnMissingBean(Broker.class)
		RedisBroker celeriacBroker(RedisConnectionFactory connectionFactory, BrokerProperties broker,
				RedisProperties redisProperties, ObjectProvider<DelayedTaskStore> delayedTasks) {
			String keyPrefix = (broker.getKeyPrefix() != null) ? broker.getKeyPrefix() : redisProperties.getKeyPrefix();
			return new RedisBroker(connectionFactory, keyPrefix, broker.getVisibilityTimeout(), broker.getPollTimeout(),
					delayedCounter(delayedTasks));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SqsClient.class)
	@ConditionalOnBackend(capability = Capability.BROKER, value = "sqs")
	static class SqsBackend {

		@Bean
		@ConditionalOnMissingBean
		SqsClient celeriacSqsClient(BrokerProperties properties) {
			BrokerProperties.Sqs sqs = properties.getSqs();
			// credentials, and the region when unset, come from the SDK's default chains
			SqsClientBuilder builder = SqsClient.builder();
			if (StringUtils.hasText(sqs.getRegion())) {
				builder.region(Region.of(sqs.getRegion()));
			}
			if (sqs.getEndpoint() != null) {
				builder.endpointOverride(sqs.getEndpoint());
			}
			return builder.build();
		}

		@Bean
		@ConditionalOnMissingBean(Broker.class)
		SqsBroker celeriacBroker(SqsClient client, BrokerProperties broker,
				ObjectProvider<DelayedTaskStore> delayedTasks) {
			BrokerProperties.Sqs sqs = broker.getSqs();
			return new SqsBroker(client, broker.getVisibilityTimeout(), sqs.getWaitTime(), sqs.isCreateQueues(),
					sqs.isNativeDelays(), delayedCounter(delayedTasks));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.BROKER, value = "memory")
	static class MemoryBackend {

		@Bean
		@ConditionalOnMissingBean(Broker.class)
		InMemoryBroker celeriacBroker(ObjectProvider<DelayedTaskStore> delayedTasks) {
			return new InMemoryBroker(delayedCounter(delayedTasks));
		}

	}

	/**
	 * The broker's view of the delayed task store, looked up when stats are asked for
	 * rather than when the broker is created: the store is configured after the broker,
	 * and a user's store may itself need the broker.
	 */
	private static DelayedMessageCounter delayedCounter(ObjectProvider<DelayedTaskStore> delayedTasks) {
		return (queue) -> {
			DelayedTaskStore store = delayedTasks.getIfAvailable();
			return (store != null) ? store.countDelayed(queue) : 0;
		};
	}

}

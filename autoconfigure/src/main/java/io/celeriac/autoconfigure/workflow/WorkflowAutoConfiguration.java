package io.celeriac.autoconfigure.workflow;

import io.celeriac.autoconfigure.result.ResultProperties;
import io.celeriac.autoconfigure.task.BrokerProperties;
import io.celeriac.autoconfigure.worker.WorkerProperties;
import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.execution.MetadataContributor;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.ResultStore;
import io.celeriac.task.TaskClient;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.WorkerSettings;
import io.celeriac.workflow.ChordCompletion;
import io.celeriac.workflow.ChordJoin;
import io.celeriac.workflow.ChordUnlockJoin;
import io.celeriac.workflow.SignaturePublisher;
import io.celeriac.workflow.WorkflowClient;
import io.celeriac.workflow.WorkflowContinuation;
import io.celeriac.workflow.WorkflowSettings;
import io.celeriac.workflow.redis.RedisChordJoin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for workflows: a
 * {@link WorkflowClient}, the {@link ChordJoin} of the chosen result store (Celery's
 * Redis counter with {@code celeriac.result.type=redis}, {@code celery.chord_unlock}
 * otherwise) and the {@link WorkflowContinuation} the worker continues messages with.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = { TaskAutoConfiguration.class, ResultStoreAutoConfiguration.class },
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBean(Broker.class)
@EnableConfigurationProperties({ BrokerProperties.class, ResultProperties.class, WorkerProperties.class,
		WorkflowProperties.class })
public final class WorkflowAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WorkflowSettings celeriacWorkflowSettings(WorkflowProperties workflow) {
		return new WorkflowSettings(workflow.getChordUnlockInterval(), workflow.getChordUnlockMaxRetries());
	}

	@Bean
	@ConditionalOnMissingBean
	SignaturePublisher celeriacSignaturePublisher(Broker broker, Topology topology, TaskRouter router,
			CeleryProtocol protocol, ObjectProvider<MetadataContributor> contributors) {
		return new SignaturePublisher(broker, topology, router, protocol, contributors.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	ChordCompletion celeriacChordCompletion(SignaturePublisher publisher, ObjectProvider<ResultStore> results,
			BrokerProperties properties, WorkerProperties worker) {
		return new ChordCompletion(publisher, results.getIfAvailable(), workerName(worker),
				properties.getConfirmTimeout().toMillis());
	}

	@Bean
	@ConditionalOnMissingBean
	ChordJoin celeriacChordUnlockJoin(ChordCompletion completion, ObjectProvider<ResultStore> results,
			WorkflowSettings settings, BrokerProperties properties) {
		// registered after the nested configuration's, so the Redis join wins when chosen
		return new ChordUnlockJoin(completion, results.getIfAvailable(), settings,
				properties.getConfirmTimeout().toMillis());
	}

	@Bean
	@ConditionalOnMissingBean
	WorkflowContinuation celeriacWorkflowContinuation(SignaturePublisher publisher, ChordJoin join,
			ChordCompletion completion, ObjectProvider<ResultStore> results, WorkflowSettings settings,
			BrokerProperties properties, WorkerProperties worker) {
		long confirmTimeout = properties.getConfirmTimeout().toMillis();
		ResultStore store = results.getIfAvailable();
		ChordUnlockJoin unlock = (join instanceof ChordUnlockJoin own) ? own
				: new ChordUnlockJoin(completion, store, settings, confirmTimeout);
		return new WorkflowContinuation(publisher, join, unlock, store, workerName(worker), confirmTimeout);
	}

	@Bean
	@ConditionalOnBean(TaskClient.class)
	@ConditionalOnMissingBean
	WorkflowClient celeriacWorkflowClient(SignaturePublisher publisher, ChordJoin join, TaskClient tasks,
			BrokerProperties properties) {
		return new WorkflowClient(publisher, join, tasks, properties.getConfirmTimeout().toMillis());
	}

	private static String workerName(WorkerProperties properties) {
		String name = properties.getName();
		return (name != null) ? name : WorkerSettings.defaultName();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.RESULT, value = "redis")
	@ConditionalOnClass(RedisConnectionFactory.class)
	static class Redis {

		@Bean
		@ConditionalOnMissingBean
		ChordJoin celeriacRedisChordJoin(RedisConnectionFactory connectionFactory, ChordCompletion completion,
				CeleryResultFormat format, ResultProperties properties) {
			return new RedisChordJoin(connectionFactory, properties.getRedisKeyPrefix(), properties.getExpires(),
					completion, format);
		}

	}

}

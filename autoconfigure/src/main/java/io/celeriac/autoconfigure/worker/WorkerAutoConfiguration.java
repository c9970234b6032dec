package io.celeriac.autoconfigure.worker;

import io.celeriac.autoconfigure.result.ResultProperties;
import io.celeriac.autoconfigure.task.BrokerProperties;
import io.celeriac.autoconfigure.delay.DelayedTaskAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.workflow.WorkflowAutoConfiguration;
import io.celeriac.autoconfigure.limit.LimiterAutoConfiguration;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.worker.TaskRateLimits;
import java.util.Map;
import io.celeriac.workflow.WorkflowContinuation;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.RefusalPolicy;
import io.celeriac.execution.TaskInterceptor;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.worker.WorkerExtensions;
import io.celeriac.broker.Broker;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.FailureLimits;
import io.celeriac.result.ResultStore;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.task.TaskRegistry;
import io.celeriac.worker.TaskRevocation;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import io.celeriac.worker.WorkerSignals;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the worker that runs this
 * application's tasks; on unless {@code celeriac.worker.enabled=false}.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = { TaskAutoConfiguration.class, DelayedTaskAutoConfiguration.class,
		WorkflowAutoConfiguration.class, LimiterAutoConfiguration.class })
@ConditionalOnBean(Broker.class)
@ConditionalOnBooleanProperty(name = "celeriac.worker.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ BrokerProperties.class, ResultProperties.class, WorkerProperties.class })
public final class WorkerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WorkerSettings celeriacWorkerSettings(BrokerProperties brokerProperties, ResultProperties resultProperties,
			WorkerProperties worker) {
		Integer concurrency = worker.getConcurrency();
		return new WorkerSettings((worker.getName() != null) ? worker.getName() : WorkerSettings.defaultName(),
				worker.getQueues(), (concurrency != null) ? concurrency : Runtime.getRuntime().availableProcessors(),
				worker.getPrefetch(), worker.getMaxMessageSize().toBytes(), resultProperties.isTrackStarted(),
				worker.getShutdownTimeout(), brokerProperties.getConfirmTimeout(), worker.getMaxDeliveries(),
				new RefusalPolicy(worker.getRefusal().getCountdown(), worker.getRefusal().getMaxRetries()));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "celeriac.worker.halt-on-second-signal", matchIfMissing = true)
	WorkerSignals celeriacWorkerSignals() {
		return new WorkerSignals();
	}

	@Bean
	@ConditionalOnMissingBean
	ErrorQueue celeriacErrorQueue(Broker broker, Topology topology, WorkerSettings settings, ResultProperties result) {
		return new ErrorQueue(broker, topology, settings.name(), settings.confirmTimeout(),
				new FailureLimits((int) Math.min(Integer.MAX_VALUE, result.getMaxMessageSize().toBytes()),
						(int) Math.min(Integer.MAX_VALUE, result.getMaxTracebackSize().toBytes())));
	}

	@Bean
	@ConditionalOnMissingBean
	TaskRateLimits celeriacTaskRateLimits(ObjectProvider<Limiters> limiters, WorkerProperties properties) {
		Map<String, String> rates = properties.getRateLimits();
		rates.forEach((task, rate) -> {
			try {
				RateLimitDefinition.parse(rate);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"Invalid celeriac.worker.rate-limits." + task + " (task '" + task + "'): " + ex.getMessage(),
						ex);
			}
		});
		return new TaskRateLimits(limiters.getIfAvailable(InMemoryLimiters::new), rates);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskWorker celeriacTaskWorker(Broker broker, TaskRegistry registry, CeleryProtocol protocol,
			ObjectProvider<ResultStore> results, ErrorQueue errorQueue, Topology topology, TaskRouter router,
			WorkerSettings settings, ObjectProvider<DelayedTaskStore> delayedTasks,
			ObjectProvider<TaskLifecycleListener> listeners, ObjectProvider<TaskInterceptor> interceptors,
			ObjectProvider<MetadataContributor> contributors, ObjectProvider<WorkflowContinuation> workflows,
			TaskRateLimits rateLimits, ObjectProvider<TaskRevocation> revocation) {
		return new TaskWorker(broker, registry, protocol, results.getIfAvailable(), errorQueue, topology, router,
				settings, delayedTasks.getIfAvailable(),
				new WorkerExtensions(listeners.orderedStream().toList(), interceptors.orderedStream().toList(),
						contributors.orderedStream().toList()),
				workflows.getIfAvailable(), rateLimits, revocation.getIfAvailable(() -> TaskRevocation.NONE));
	}

}

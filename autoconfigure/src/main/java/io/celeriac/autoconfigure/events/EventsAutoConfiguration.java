package io.celeriac.autoconfigure.events;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.task.BrokerProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.events.EventDispatcher;
import io.celeriac.events.EventTransport;
import io.celeriac.events.LamportClock;
import io.celeriac.events.TaskEvents;
import io.celeriac.events.WorkerEventHeartbeat;
import io.celeriac.events.memory.InMemoryEventTransport;
import io.celeriac.events.rabbit.RabbitEventTransport;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.Origin;
import io.celeriac.topology.Topology;
import io.celeriac.worker.WorkerSettings;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for Celery's events, on when
 * {@code celeriac.events.enabled} (the worker's task and worker events) or
 * {@code celeriac.events.task-sent} (the producer's {@code task-sent}) is {@code true}:
 * the {@link TaskEvents} listener and interceptor, which the worker and the task client
 * pick up like any other, the worker's {@link WorkerEventHeartbeat}, and the transport of
 * the broker (RabbitMQ's {@code celeryev} exchange, or in memory). The transport alone
 * with {@code celeriac.monitor.events=true}, for the task monitor.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = { TaskAutoConfiguration.class, WorkerAutoConfiguration.class })
@ConditionalOnBean(Broker.class)
@Conditional(EventsAutoConfiguration.OnEventsOrMonitor.class)
@Import({ EventsAutoConfiguration.Rabbit.class, EventsAutoConfiguration.Memory.class })
@EnableConfigurationProperties({ BrokerProperties.class, EventsProperties.class })
public final class EventsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LamportClock celeriacEventClock() {
		return new LamportClock();
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnEvents.class)
	TaskEvents celeriacTaskEvents(ObjectProvider<EventTransport> transport, LamportClock clock, Topology topology,
			CeleryProtocol protocol, ObjectProvider<WorkerSettings> worker, EventsProperties settings,
			BrokerProperties broker) {
		EventTransport events = requireTransport(transport, broker);
		WorkerSettings workerSettings = worker.getIfAvailable();
		return new TaskEvents(settings.isTaskSent() ? new EventDispatcher(events, Origin.current(), clock) : null,
				(settings.isEnabled() && workerSettings != null)
						? new EventDispatcher(events, workerSettings.name(), clock) : null,
				topology, protocol.mapper());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(WorkerSettings.class)
	@ConditionalOnBooleanProperty("celeriac.events.enabled")
	WorkerEventHeartbeat celeriacWorkerEventHeartbeat(ObjectProvider<EventTransport> transport, LamportClock clock,
			WorkerSettings worker, TaskEvents tasks, EventsProperties properties, BrokerProperties broker) {
		return new WorkerEventHeartbeat(new EventDispatcher(requireTransport(transport, broker), worker.name(), clock),
				tasks, properties.getHeartbeatInterval());
	}

	private static EventTransport requireTransport(ObjectProvider<EventTransport> transport,
			BrokerProperties properties) {
		EventTransport events = transport.getIfAvailable();
		if (events == null) {
			throw new IllegalStateException("Celery events (celeriac.events.enabled / celeriac.events.task-sent) "
					+ "travel on RabbitMQ's event exchange, and this application's broker is not RabbitMQ "
					+ "(celeriac.broker.type=" + properties.getType() + "). Use celeriac.broker.type=rabbit, "
					+ "or set celeriac.events.enabled=false and celeriac.events.task-sent=false.");
		}
		return events;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.BROKER, value = "rabbit")
	static class Rabbit {

		@Bean
		@ConditionalOnMissingBean(EventTransport.class)
		RabbitEventTransport celeriacEventTransport(ConnectionFactory connectionFactory, EventsProperties events) {
			return new RabbitEventTransport(connectionFactory, new RabbitEventTransport.Settings(events.getExchange(),
					events.getBufferSize(), "celeryev", events.getQueueTtl(), events.getQueueExpires()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.BROKER, value = "memory")
	static class Memory {

		@Bean
		@ConditionalOnMissingBean(EventTransport.class)
		InMemoryEventTransport celeriacEventTransport() {
			return new InMemoryEventTransport();
		}

	}

	static class OnEvents extends AnyNestedCondition {

		OnEvents() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty("celeriac.events.enabled")
		static class Enabled {

		}

		@ConditionalOnBooleanProperty("celeriac.events.task-sent")
		static class TaskSent {

		}

	}

	static class OnEventsOrMonitor extends AnyNestedCondition {

		OnEventsOrMonitor() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@Conditional(OnEvents.class)
		static class Events {

		}

		@ConditionalOnBooleanProperty("celeriac.monitor.events")
		static class Monitor {

		}

	}

}

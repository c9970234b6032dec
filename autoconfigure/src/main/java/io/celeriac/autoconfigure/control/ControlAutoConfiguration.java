package io.celeriac.autoconfigure.control;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.autoconfigure.result.ResultDataSource;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.registry.WorkerRegistryAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.control.ActiveTasks;
import io.celeriac.control.ControlNode;
import io.celeriac.control.ControlPanel;
import io.celeriac.control.ControlSettings;
import io.celeriac.control.Mailbox;
import io.celeriac.control.RateLimitControl;
import io.celeriac.control.Revocations;
import io.celeriac.control.WorkerControl;
import io.celeriac.control.rabbit.RabbitMailbox;
import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacBackends;
import io.celeriac.autoconfigure.StoreType;
import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.jdbc.JdbcRevokedTaskStore;
import io.celeriac.revoke.memory.InMemoryRevokedTaskStore;
import io.celeriac.revoke.redis.RedisRevokedTaskStore;
import io.celeriac.task.TaskRegistry;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for Celery's remote control and
 * revoke, on unless {@code celeriac.control.enabled=false}: on the RabbitMQ broker, the
 * pidbox {@link Mailbox} and the {@link WorkerControl} that sends commands; with a
 * worker, its {@link ControlNode} answering them, and the {@link Revocations} it refuses
 * revoked tasks with, kept in a {@link RevokedTaskStore} chosen by
 * {@code celeriac.control.revoked.store}.
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = { TaskAutoConfiguration.class, ResultStoreAutoConfiguration.class,
		WorkerAutoConfiguration.class, WorkerRegistryAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "celeriac.control.enabled", matchIfMissing = true)
@Import(ControlAutoConfiguration.RabbitMailboxConfiguration.class)
@EnableConfigurationProperties({ ControlProperties.class, RedisProperties.class })
public final class ControlAutoConfiguration {

	private static final String REDIS = "org.springframework.data.redis.connection.RedisConnectionFactory";

	@Bean
	@ConditionalOnBean(Mailbox.class)
	@ConditionalOnMissingBean
	WorkerControl celeriacWorkerControl(Mailbox mailbox, ControlProperties properties) {
		return new WorkerControl(mailbox, properties.getTimeout());
	}

	@Bean
	@ConditionalOnBean(TaskWorker.class)
	@ConditionalOnMissingBean
	ActiveTasks celeriacActiveTasks() {
		return new ActiveTasks();
	}

	@Bean
	@ConditionalOnBean(TaskWorker.class)
	@ConditionalOnMissingBean
	RevokedTaskStore celeriacRevokedTaskStore(ControlProperties properties, CeleriacBackends backends,
			ObjectProvider<ResultDataSource> resultDataSource, ListableBeanFactory beanFactory,
			RedisProperties celeriac) {
		ControlProperties.Revoked revoked = properties.getRevoked();
		RevokedTaskStore.Limits limits = new RevokedTaskStore.Limits(revoked.getMaxCount(), revoked.getMaxAge());
		ControlProperties.RevokedStoreType type = revoked.getStore();
		if (type == null) {
			if (backends.of(Capability.REGISTRY) == StoreType.REDIS && ClassUtils.isPresent(REDIS, null)) {
				type = ControlProperties.RevokedStoreType.REDIS;
			}
			else if (resultDataSource.getIfAvailable() != null) {
				// the JDBC result store's DataSource
				type = ControlProperties.RevokedStoreType.JDBC;
			}
			else {
				type = ControlProperties.RevokedStoreType.MEMORY;
			}
		}
		return switch (type) {
			case REDIS -> {
				if (!ClassUtils.isPresent(REDIS, null)) {
					throw missing("redis", "Spring Data Redis on the class path");
				}
				yield RedisStores.create(beanFactory, celeriac.getKeyPrefix(), limits);
			}
			case JDBC -> {
				ResultDataSource dataSource = resultDataSource.getIfAvailable();
				if (dataSource == null) {
					throw missing("jdbc", "the JDBC result store (celeriac.result.type=jdbc)");
				}
				JdbcRevokedTaskStore store = new JdbcRevokedTaskStore(dataSource.dataSource(), limits);
				if (revoked.isInitializeSchema()) {
					store.initializeSchema();
				}
				yield store;
			}
			case MEMORY -> new InMemoryRevokedTaskStore(limits);
		};
	}

	@Bean
	@ConditionalOnBean({ TaskWorker.class, RevokedTaskStore.class, ActiveTasks.class })
	@ConditionalOnMissingBean
	Revocations celeriacRevocations(RevokedTaskStore store, ActiveTasks active, ControlProperties properties) {
		ControlProperties.Revoked revoked = properties.getRevoked();
		return new Revocations(store, new RevokedTaskStore.Limits(revoked.getMaxCount(), revoked.getMaxAge()), active);
	}

	@Bean
	@ConditionalOnBean({ TaskWorker.class, Mailbox.class, Revocations.class })
	@ConditionalOnMissingBean
	ControlPanel celeriacControlPanel(TaskWorker worker, TaskRegistry registry, Topology topology, TaskRouter router,
			ActiveTasks active, Revocations revocations, ControlProperties properties, WorkerSettings settings,
			ObjectProvider<RateLimitControl> rateLimits, Mailbox mailbox, ConfigurableApplicationContext context) {
		Map<String, @Nullable Object> conf = new LinkedHashMap<>();
		conf.put("worker_concurrency", settings.concurrency());
		conf.put("worker_prefetch_multiplier", settings.prefetch());
		conf.put("worker_enable_remote_control", true);
		conf.put("task_default_exchange", topology.exchange());
		conf.put("task_default_exchange_type", "topic");
		conf.put("task_default_queue", topology.queueName(Topology.CELERY_QUEUE));
		conf.put("task_serializer", "json");
		conf.put("result_serializer", "json");
		conf.put("accept_content", List.of("json"));
		conf.put("task_acks_late", true);
		conf.put("task_track_started", settings.trackStarted());
		conf.put("control_exchange", properties.getExchange());
		conf.put("control_queue_ttl", properties.getQueueTtl().toMillis() / 1000.0);
		conf.put("control_queue_expires", properties.getQueueExpires().toMillis() / 1000.0);
		conf.put("worker_revokes_max", properties.getRevoked().getMaxCount());
		conf.put("worker_revoke_expires", properties.getRevoked().getMaxAge().toSeconds());
		ControlSettings controlSettings = new ControlSettings(properties.isShutdownEnabled(), conf, mailbox.broker());
		return new ControlPanel(worker, registry, topology, router, active, revocations, controlSettings,
				rateLimits.getIfAvailable(), () -> SpringApplication.exit(context));
	}

	@Bean
	@ConditionalOnBean({ Mailbox.class, ControlPanel.class })
	@ConditionalOnMissingBean
	ControlNode celeriacControlNode(Mailbox mailbox, ControlPanel panel, WorkerSettings settings) {
		return new ControlNode(mailbox, panel, settings.name());
	}

	static IllegalStateException missing(String store, String needs) {
		return new IllegalStateException("celeriac.control.revoked.store=" + store + " needs " + needs
				+ "; configure it or choose another celeriac.control.revoked.store (redis, jdbc, memory)");
	}

	/**
	 * Creates the Redis store; a class of its own so that Spring Data Redis is loaded
	 * only when it is chosen.
	 */
	static final class RedisStores {

		private RedisStores() {
		}

		static RevokedTaskStore create(ListableBeanFactory beanFactory, String keyPrefix,
				RevokedTaskStore.Limits limits) {
			RedisConnectionFactory connections = beanFactory.getBeanProvider(RedisConnectionFactory.class)
				.getIfAvailable();
			if (connections == null) {
				throw missing("redis", "a Redis server (spring.data.redis.*)");
			}
			return new RedisRevokedTaskStore(connections, keyPrefix, limits);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConnectionFactory.class)
	static class RabbitMailboxConfiguration {

		@Bean
		@ConditionalOnBean({ RabbitBroker.class, ConnectionFactory.class })
		@ConditionalOnMissingBean(Mailbox.class)
		RabbitMailbox celeriacMailbox(ConnectionFactory connectionFactory, ControlProperties properties) {
			return new RabbitMailbox(connectionFactory, properties.getExchange(), properties.getQueueTtl(),
					properties.getQueueExpires());
		}

	}

}

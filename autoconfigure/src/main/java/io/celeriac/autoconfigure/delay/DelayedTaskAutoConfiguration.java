package io.celeriac.autoconfigure.delay;

import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.redis.RedisProperties;
import io.celeriac.autoconfigure.task.BrokerProperties;
import io.celeriac.autoconfigure.ConditionalOnBackend;
import io.celeriac.autoconfigure.SingleProcessFallback;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.debounce.Debouncer;
import io.celeriac.debounce.memory.InMemoryDebouncer;
import io.celeriac.debounce.redis.RedisDebouncer;
import io.celeriac.delay.DelayedTaskScheduler;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.protocol.CeleryProtocol;

import org.springframework.beans.factory.ListableBeanFactory;
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
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for delayed tasks: the
 * {@link DelayedTaskStore} and the {@link Debouncer} chosen by
 * {@code celeriac.scheduler.type}, and the {@link DelayedTaskScheduler} that publishes
 * due tasks (on unless {@code celeriac.scheduler.enabled=false}). Beside a real broker,
 * the in-memory store is created only when chosen explicitly (see
 * {@link SingleProcessFallback}).
 *
 * @author Celeriac team
 */
@AutoConfiguration(after = { CeleriacAutoConfiguration.class, TaskAutoConfiguration.class },
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@Import({ DelayedTaskAutoConfiguration.InMemory.class, DelayedTaskAutoConfiguration.Redis.class })
@EnableConfigurationProperties({ BrokerProperties.class, RedisProperties.class, SchedulerProperties.class })
public final class DelayedTaskAutoConfiguration {

	@Bean
	@ConditionalOnBean({ Broker.class, DelayedTaskStore.class })
	@ConditionalOnBooleanProperty(name = "celeriac.scheduler.enabled", matchIfMissing = true)
	@ConditionalOnMissingBean
	DelayedTaskScheduler celeriacDelayedTaskScheduler(DelayedTaskStore store, Broker broker,
			BrokerProperties brokerProperties, SchedulerProperties scheduler) {
		return new DelayedTaskScheduler(store, broker, new DelayedTaskScheduler.Settings(scheduler.getPollInterval(),
				scheduler.getBatchSize(), scheduler.getClaimLease(), brokerProperties.getConfirmTimeout()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(capability = Capability.SCHEDULER, value = "memory")
	static class InMemory {

		@Bean
		@ConditionalOnMissingBean
		DelayedTaskStore celeriacDelayedTaskStore(Environment environment, ListableBeanFactory beanFactory) {
			SingleProcessFallback.refuseBesideRealBroker(Capability.SCHEDULER, environment, beanFactory,
					"delayed tasks (eta, countdown, retry backoff) would be taken off the broker and kept "
							+ "in this process's memory, and lost when it stops");
			return new InMemoryDelayedTaskStore();
		}

		@Bean
		@ConditionalOnMissingBean
		Debouncer celeriacDebouncer() {
			return new InMemoryDebouncer();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBackend(capability = Capability.SCHEDULER, value = "redis")
	static class Redis {

		@Bean
		@ConditionalOnBean({ RedisConnectionFactory.class, CeleryProtocol.class })
		@ConditionalOnMissingBean
		DelayedTaskStore celeriacDelayedTaskStore(RedisConnectionFactory connectionFactory, RedisProperties properties,
				CeleryProtocol protocol) {
			return new RedisDelayedTaskStore(connectionFactory, properties.getKeyPrefix(), protocol.mapper());
		}

		@Bean
		@ConditionalOnBean(RedisConnectionFactory.class)
		@ConditionalOnMissingBean
		Debouncer celeriacDebouncer(RedisConnectionFactory connectionFactory, RedisProperties properties) {
			return new RedisDebouncer(connectionFactory, properties.getKeyPrefix());
		}

	}

}

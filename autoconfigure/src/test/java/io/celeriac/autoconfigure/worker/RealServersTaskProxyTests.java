package io.celeriac.autoconfigure.worker;

import java.util.List;

import io.celeriac.autoconfigure.BrokerType;
import io.celeriac.autoconfigure.Capability;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.CeleriacBackends;
import io.celeriac.autoconfigure.ResultStoreType;
import io.celeriac.autoconfigure.StoreType;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.delay.DelayedTaskAutoConfiguration;
import io.celeriac.autoconfigure.limit.LimiterAutoConfiguration;
import io.celeriac.autoconfigure.lock.LockAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TaskProxyTests} on the real servers: RabbitMQ as the broker, Redis for locks and
 * the delayed task store, PostgreSQL for the task's transactions and the results.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealServersTaskProxyTests extends TaskProxyTests {

	private RabbitEndpoint rabbit;

	private RedisEndpoint redis;

	private PostgresEndpoint postgres;

	private ServiceIsolation isolation;

	@BeforeAll
	void servers(RabbitEndpoint rabbit, RedisEndpoint redis, PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.rabbit = rabbit;
		this.redis = redis;
		this.postgres = postgres;
		this.isolation = isolation;
	}

	@Override
	ApplicationContextRunner runner(String name) {
		String prefix = this.isolation.queueNamePrefix() + name + "-";
		for (String queue : List.of("platform.fifo", "celery", "proxied")) {
			this.isolation.removeAfterwards(prefix + queue);
			this.isolation.removeAfterwards(prefix + queue + ".error");
		}
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, AopAutoConfiguration.class,
					RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class, DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class, CeleriacAutoConfiguration.class,
					ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, DelayedTaskAutoConfiguration.class,
					LockAutoConfiguration.class, LimiterAutoConfiguration.class, CacheRegionAutoConfiguration.class,
					WorkerAutoConfiguration.class))
			.withBean(ProxiedTasks.class)
			.withPropertyValues("spring.rabbitmq.host=" + this.rabbit.host(),
					"spring.rabbitmq.port=" + this.rabbit.port(), "spring.rabbitmq.username=" + this.rabbit.username(),
					"spring.rabbitmq.password=" + this.rabbit.password(),
					"spring.rabbitmq.virtual-host=" + this.rabbit.virtualHost(),
					"spring.data.redis.host=" + this.redis.host(), "spring.data.redis.port=" + this.redis.port(),
					"spring.datasource.url=" + this.isolation.jdbcUrl(),
					"spring.datasource.username=" + this.postgres.username(),
					"spring.datasource.password=" + this.postgres.password(),
					"celeriac.redis.key-prefix=" + this.isolation.redisKeyPrefix() + name + ":",
					"celeriac.topology.exchange=" + this.isolation.exchange(name),
					"celeriac.topology.queue-name-prefix=" + prefix, "celeriac.result.initialize-schema=always",
					"celeriac.worker.refusal.countdown=200ms", "celeriac.cache.regions.proxied.expires=60s",
					"celeriac.limiter.limiters.proxied.limit=1", "celeriac.limiter.limiters.proxied.expires=1m",
					"celeriac.worker.concurrency=2");
	}

	@Test
	void theBackendsAreTheRealServers() {
		runner("backends").run((context) -> {
			CeleriacBackends backends = context.getBean(CeleriacBackends.class);
			assertThat(backends.of(Capability.BROKER)).isEqualTo(BrokerType.RABBIT);
			assertThat(backends.of(Capability.LOCK)).isEqualTo(StoreType.REDIS);
			assertThat(backends.of(Capability.SCHEDULER)).isEqualTo(StoreType.REDIS);
			assertThat(backends.of(Capability.RESULT)).isEqualTo(ResultStoreType.JDBC);
		});
	}

}

package io.celeriac.autoconfigure.task;

import java.time.Duration;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.worker.TaskWorker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskAutoConfiguration} with {@code celeriac.broker.type=redis}: the
 * Redis broker on Spring Boot's connection factory, end to end on the real Redis.
 *
 * @author Celeriac team
 */
@RealServices
class RedisBrokerAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner;

	private final ServiceIsolation isolation;

	RedisBrokerAutoConfigurationTests(RedisEndpoint redis, ServiceIsolation isolation) {
		this.isolation = isolation;
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
					CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
					WorkerAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.broker.type=redis", "celeriac.redis.key-prefix=" + isolation.redisKeyPrefix(),
					"celeriac.topology.queue-name-prefix=" + isolation.queueNamePrefix());
	}

	@Test
	void aTaskRunsOnTheRedisBroker() {
		this.contextRunner.withUserConfiguration(TaskAutoConfigurationTests.ReportTasksConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(Broker.class).isInstanceOf(RedisBroker.class);
				assertThat(context).hasSingleBean(TaskWorker.class);
				TaskAutoConfigurationTests.ReportTasks reports = context
					.getBean(TaskAutoConfigurationTests.ReportTasks.class);
				TaskHandle<String> handle = reports.generate(5, "csv");
				assertThat(handle.await(WAIT)).isEqualTo("report 5 as csv");
				assertThat(reports.threads()).singleElement()
					.asString()
					.startsWith("celeriac-redis-")
					.contains(this.isolation.queueNamePrefix() + "reports");
			});
	}

	@Test
	void theVisibilityTimeoutIsConfigurable() {
		this.contextRunner.withPropertyValues("celeriac.broker.visibility-timeout=5s")
			.run((context) -> assertThat(context.getBean(RedisBroker.class).visibilityTimeout())
				.isEqualTo(Duration.ofSeconds(5)));
	}

	@Test
	void theBrokersKeyPrefixIsTheRedisOneUnlessItHasItsOwn() {
		this.contextRunner.run((context) -> assertThat(context.getBean(RedisBroker.class).keyPrefix())
			.isEqualTo(this.isolation.redisKeyPrefix()));
		this.contextRunner
			.withPropertyValues("celeriac.broker.key-prefix=" + this.isolation.redisKeyPrefix() + "kombu:")
			.run((context) -> assertThat(context.getBean(RedisBroker.class).keyPrefix())
				.isEqualTo(this.isolation.redisKeyPrefix() + "kombu:"));
	}

	@Test
	void aUserBrokerWins() {
		InMemoryBroker broker = new InMemoryBroker();
		this.contextRunner.withBean(Broker.class, () -> broker)
			.run((context) -> assertThat(context).getBean(Broker.class).isSameAs(broker));
	}

	@Test
	void withoutSpringDataRedisTheRedisBrokerBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(Broker.class);
			assertThat(context).doesNotHaveBean(TaskClient.class);
		});
	}

}

package io.celeriac.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import io.celeriac.autoconfigure.delay.DelayedTaskAutoConfiguration;
import io.celeriac.autoconfigure.lock.LockAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultDataSource;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.memory.InMemoryDistributedLock;
import io.celeriac.lock.redis.RedisDistributedLock;
import io.celeriac.result.ResultStore;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's connection details beans, as Testcontainers' {@code @ServiceConnection}
 * and Docker Compose support define them, select the real backends with no
 * {@code spring.*} server property and no {@code celeriac.*.type} set. Each bean here is
 * defined by a {@code @Bean} method of the application, as {@code @ServiceConnection} on
 * a {@code @Bean} container method does, and points at the real server of the test run,
 * which Spring Boot's connection factories then use.
 *
 * @author Celeriac team
 */
@RealServices
class ConnectionDetailsSelectionTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
				DataSourceAutoConfiguration.class, CeleriacAutoConfiguration.class, TaskAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, LockAutoConfiguration.class));

	@Test
	void withoutConnectionDetailsOrPropertiesTheBackendsStayInMemory() {
		// Spring Boot still defines connection details derived from its (unset)
		// properties; those choose nothing
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(RabbitConnectionDetails.class)
				.hasSingleBean(DataRedisConnectionDetails.class);
			CeleriacBackends backends = context.getBean(CeleriacBackends.class);
			assertThat(backends.of(Capability.BROKER)).isEqualTo(BrokerType.MEMORY);
			assertThat(backends.of(Capability.RESULT)).isEqualTo(ResultStoreType.MEMORY);
			assertThat(backends.of(Capability.LOCK)).isEqualTo(StoreType.MEMORY);
			assertThat(context).getBean(Broker.class).isInstanceOf(InMemoryBroker.class);
			assertThat(context).getBean(ResultStore.class).isInstanceOf(InMemoryResultStore.class);
			assertThat(context).getBean(DistributedLock.class).isInstanceOf(InMemoryDistributedLock.class);
		});
	}

	@Test
	void rabbitConnectionDetailsAloneSelectTheRabbitBroker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		// the broker declares its topology at startup: under this test's own names
		String prefix = isolation.queueNamePrefix();
		for (String queue : List.of("celery", "celery.error", "platform.fifo")) {
			isolation.removeAfterwards(prefix + queue);
		}
		this.contextRunner.withUserConfiguration(RabbitServiceConnection.class)
			.withPropertyValues("test.rabbit.host=" + rabbit.host(), "test.rabbit.port=" + rabbit.port(),
					"test.rabbit.username=" + rabbit.username(), "test.rabbit.password=" + rabbit.password(),
					"test.rabbit.virtual-host=" + rabbit.virtualHost(),
					"celeriac.topology.exchange=" + isolation.exchange("tasks"),
					"celeriac.topology.queue-name-prefix=" + prefix)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(CeleriacBackends.class).of(Capability.BROKER)).isEqualTo(BrokerType.RABBIT);
				assertThat(context).getBean(Broker.class).isInstanceOf(RabbitBroker.class);
				assertThat(context).getBean(DistributedLock.class).isInstanceOf(InMemoryDistributedLock.class);
				CachingConnectionFactory connectionFactory = context.getBean(CachingConnectionFactory.class);
				assertThat(connectionFactory.getHost()).isEqualTo(rabbit.host());
				assertThat(connectionFactory.getPort()).isEqualTo(rabbit.port());
				try (org.springframework.amqp.rabbit.connection.Connection connection = connectionFactory
					.createConnection()) {
					assertThat(connection.isOpen()).isTrue();
				}
			});
	}

	@Test
	void redisConnectionDetailsAloneSelectTheRedisBackends(RedisEndpoint redis) {
		this.contextRunner.withUserConfiguration(RedisServiceConnection.class)
			.withPropertyValues("test.redis.host=" + redis.host(), "test.redis.port=" + redis.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CeleriacBackends backends = context.getBean(CeleriacBackends.class);
				for (Capability capability : List.of(Capability.CACHE, Capability.LOCK, Capability.LIMITER,
						Capability.SCHEDULER, Capability.REGISTRY)) {
					assertThat(backends.of(capability)).as(capability.name()).isEqualTo(StoreType.REDIS);
				}
				assertThat(backends.of(Capability.RECURRING)).isEqualTo(ScheduleStoreType.REDIS);
				assertThat(backends.of(Capability.BROKER)).isEqualTo(BrokerType.MEMORY);
				assertThat(context).getBean(DistributedLock.class).isInstanceOf(RedisDistributedLock.class);
				LettuceConnectionFactory connectionFactory = context.getBean(LettuceConnectionFactory.class);
				assertThat(connectionFactory.getHostName()).isEqualTo(redis.host());
				assertThat(connectionFactory.getPort()).isEqualTo(redis.port());
				assertThat(connectionFactory.getConnection().ping()).isEqualTo("PONG");
			});
	}

	@Test
	void jdbcConnectionDetailsAloneSelectTheJdbcResultStore(PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.contextRunner.withUserConfiguration(JdbcServiceConnection.class)
			.withPropertyValues("test.jdbc.url=" + isolation.jdbcUrl(), "test.jdbc.username=" + postgres.username(),
					"test.jdbc.password=" + postgres.password())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(CeleriacBackends.class).of(Capability.RESULT))
					.isEqualTo(ResultStoreType.JDBC);
				assertThat(context).doesNotHaveBean(InMemoryResultStore.class);
				ResultDataSource resultDataSource = context.getBean(ResultDataSource.class);
				try (Connection connection = resultDataSource.dataSource().getConnection();
						Statement statement = connection.createStatement();
						ResultSet result = statement.executeQuery("select current_schema()")) {
					assertThat(result.next()).isTrue();
					assertThat(result.getString(1)).isEqualTo(isolation.schema());
				}
			});
	}

	@Test
	void anInMemorySchedulerChosenByDefaultBesideRabbitConnectionDetailsRefusesStartup(RabbitEndpoint rabbit) {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CeleriacAutoConfiguration.class, DelayedTaskAutoConfiguration.class))
			.withUserConfiguration(RabbitServiceConnection.class)
			.withPropertyValues("test.rabbit.host=" + rabbit.host(), "test.rabbit.port=" + rabbit.port())
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(SingleProcessBackendException.class)
				.hasMessageContaining("'rabbit' broker")
				.hasMessageContaining("celeriac.scheduler.type"));
	}

	@Configuration(proxyBeanMethods = false)
	static class RabbitServiceConnection {

		@Bean
		RabbitConnectionDetails testRabbitConnectionDetails(Environment environment) {
			return new RabbitConnectionDetails() {

				@Override
				public String getUsername() {
					return environment.getProperty("test.rabbit.username", "guest");
				}

				@Override
				public String getPassword() {
					return environment.getProperty("test.rabbit.password", "guest");
				}

				@Override
				public String getVirtualHost() {
					return environment.getProperty("test.rabbit.virtual-host", "/");
				}

				@Override
				public List<Address> getAddresses() {
					return List.of(new Address(environment.getRequiredProperty("test.rabbit.host"),
							environment.getRequiredProperty("test.rabbit.port", Integer.class)));
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RedisServiceConnection {

		@Bean
		DataRedisConnectionDetails testRedisConnectionDetails(Environment environment) {
			DataRedisConnectionDetails.Standalone standalone = DataRedisConnectionDetails.Standalone.of(
					environment.getRequiredProperty("test.redis.host"),
					environment.getRequiredProperty("test.redis.port", Integer.class));
			return new DataRedisConnectionDetails() {

				@Override
				public DataRedisConnectionDetails.Standalone getStandalone() {
					return standalone;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JdbcServiceConnection {

		@Bean
		JdbcConnectionDetails testJdbcConnectionDetails(Environment environment) {
			return new JdbcConnectionDetails() {

				@Override
				public String getUsername() {
					return environment.getRequiredProperty("test.jdbc.username");
				}

				@Override
				public String getPassword() {
					return environment.getProperty("test.jdbc.password", "");
				}

				@Override
				public String getJdbcUrl() {
					return environment.getRequiredProperty("test.jdbc.url");
				}

			};
		}

	}

}

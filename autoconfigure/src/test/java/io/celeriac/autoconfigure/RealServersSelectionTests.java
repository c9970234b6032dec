package io.celeriac.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resolves the real RabbitMQ, Redis and PostgreSQL servers of the test run, configures an
 * application with them the way a user would, and checks that Celeriac chooses the real
 * backends and that Spring Boot's connections built from those properties reach each
 * server.
 *
 * @author Celeriac team
 */
@RealServices
class RealServersSelectionTests {

	@Test
	void configuredServersAreChosenAndReached(RedisEndpoint redis, RabbitEndpoint rabbit, PostgresEndpoint postgres,
			ServiceIsolation isolation) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataRedisAutoConfiguration.class,
					DataSourceAutoConfiguration.class, CeleriacAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + rabbit.password(),
					"spring.rabbitmq.virtual-host=" + rabbit.virtualHost(),
					"spring.datasource.url=" + isolation.jdbcUrl(), "spring.datasource.username=" + postgres.username(),
					"spring.datasource.password=" + postgres.password())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CeleriacBackends backends = context.getBean(CeleriacBackends.class);
				assertThat(backends.of(Capability.BROKER)).isEqualTo(BrokerType.RABBIT);
				assertThat(backends.of(Capability.RESULT)).isEqualTo(ResultStoreType.JDBC);
				assertThat(backends.of(Capability.LOCK)).isEqualTo(StoreType.REDIS);

				StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
				String key = isolation.redisKeyPrefix() + "reached";
				redisTemplate.opsForValue().set(key, "yes");
				assertThat(redisTemplate.opsForValue().get(key)).isEqualTo("yes");

				RabbitAdmin admin = new RabbitAdmin(context.getBean(ConnectionFactory.class));
				String queue = isolation.queue("reached");
				admin.declareQueue(new Queue(queue, false, false, false));
				RabbitTemplate rabbitTemplate = context.getBean(RabbitTemplate.class);
				rabbitTemplate.convertAndSend("", queue, "hello");
				assertThat(rabbitTemplate.receiveAndConvert(queue, 5000)).isEqualTo("hello");

				try (Connection connection = context.getBean(DataSource.class).getConnection();
						Statement statement = connection.createStatement();
						ResultSet result = statement.executeQuery("select current_schema()")) {
					assertThat(result.next()).isTrue();
					assertThat(result.getString(1)).isEqualTo(isolation.schema());
				}
			});
	}

}

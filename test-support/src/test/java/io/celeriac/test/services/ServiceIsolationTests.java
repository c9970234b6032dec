package io.celeriac.test.services;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ServiceIsolation} on the real servers: what a class creates under its
 * names is gone once the isolation closes, and two classes never share names.
 *
 * @author Celeriac team
 */
@RealServices
class ServiceIsolationTests {

	@Test
	void namesAreUniquePerIsolation(RedisEndpoint redis, RabbitEndpoint rabbit, PostgresEndpoint postgres) {
		ServiceIsolation one = new ServiceIsolation(() -> redis, () -> rabbit, () -> postgres);
		ServiceIsolation two = new ServiceIsolation(() -> redis, () -> rabbit, () -> postgres);
		assertThat(one.queueNamePrefix()).isNotEqualTo(two.queueNamePrefix());
		assertThat(one.redisKeyPrefix()).isNotEqualTo(two.redisKeyPrefix());
		assertThat(one.queue("reports")).startsWith(one.queueNamePrefix()).endsWith("reports");
	}

	@Test
	void closingRemovesKeysQueuesAndSchema(RedisEndpoint redis, RabbitEndpoint rabbit, PostgresEndpoint postgres)
			throws Exception {
		ServiceIsolation isolation = new ServiceIsolation(() -> redis, () -> rabbit, () -> postgres);
		RedisClient client = RedisClient.create(redis.uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			String key = isolation.redisKeyPrefix() + "a";
			String other = "unrelated-" + isolation.redisKeyPrefix();
			connection.sync().set(key, "1");
			connection.sync().set(other, "2");
			String queue = isolation.queue("work");
			ConnectionFactory factory = rabbit.connectionFactory();
			try (com.rabbitmq.client.Connection amqp = factory.newConnection();
					Channel channel = amqp.createChannel()) {
				channel.queueDeclare(queue, true, false, false, null);
			}
			try (Connection jdbc = DriverManager.getConnection(isolation.jdbcUrl(), postgres.username(),
					postgres.password()); Statement statement = jdbc.createStatement()) {
				statement.execute("create table things (id int)");
			}

			isolation.close();

			assertThat(connection.sync().exists(key)).isZero();
			assertThat(connection.sync().get(other)).isEqualTo("2");
			connection.sync().del(other);
			try (com.rabbitmq.client.Connection amqp = factory.newConnection()) {
				// the broker closes the channel on the failed check, so it is not closed
				// here
				Channel channel = amqp.createChannel();
				assertThatExceptionOfType(java.io.IOException.class)
					.isThrownBy(() -> channel.queueDeclarePassive(queue))
					.withStackTraceContaining("NOT_FOUND");
			}
			try (Connection jdbc = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
					postgres.password());
					Statement statement = jdbc.createStatement();
					ResultSet found = statement.executeQuery("select count(*) from information_schema.schemata where "
							+ "schema_name = '" + isolation.schema() + "'")) {
				found.next();
				assertThat(found.getInt(1)).isZero();
			}
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void eachTestOfAClassSeesTheSameIsolation(ServiceIsolation first, ServiceIsolation second) {
		assertThat(first).isSameAs(second);
	}

}

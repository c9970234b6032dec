package io.celeriac.sample;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.celeriac.test.conformance.ConformanceCheck;
import io.celeriac.test.conformance.ConformanceKit;
import io.celeriac.test.conformance.ConformanceReport;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The conformance kit passes on the sample application against the real servers, and
 * fails with a clear message once a service queue is bound with the wrong key.
 *
 * @author Celeriac team
 */
@RealServices
class SampleConformanceTests {

	@Test
	void theSampleApplicationConformsAndAWrongBindingIsReported(RedisEndpoint redis, RabbitEndpoint rabbit,
			PostgresEndpoint postgres, ServiceIsolation isolation) throws Exception {
		String prefix = isolation.queueNamePrefix();
		String exchange = isolation.exchange("tasks");
		for (String queue : new String[] { "platform.fifo", "celery", "sample", "processing",
				"processing-quarantine" }) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("services")
			.run("--server.port=0", "--celeriac.worker.enabled=false", "--celeriac.topology.exchange=" + exchange,
					"--celeriac.topology.queue-name-prefix=" + prefix, "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--spring.rabbitmq.host=" + rabbit.host(),
					"--spring.rabbitmq.port=" + rabbit.port(), "--spring.rabbitmq.username=" + rabbit.username(),
					"--spring.rabbitmq.password=" + rabbit.password(),
					"--spring.rabbitmq.virtual-host=" + rabbit.virtualHost(),
					"--spring.datasource.url=" + isolation.jdbcUrl(),
					"--spring.datasource.username=" + postgres.username(),
					"--spring.datasource.password=" + postgres.password())) {
			ConformanceReport report = ConformanceKit.of(context).check();
			report.assertConforms();
			assertThat(report.checks()).extracting(ConformanceCheck::name)
				.contains("exchange '" + exchange + "' is a durable topic exchange",
						"monitor queue '" + prefix + "platform.fifo' is bound with '#'",
						"service queue '" + prefix + "sample' is bound with 'sample'",
						"task sample.add routes to a declared service queue", "the result store accepts a write");
			try (Connection connection = context.getBean(AbstractConnectionFactory.class)
				.getRabbitConnectionFactory()
				.newConnection(); Channel channel = connection.createChannel()) {
				channel.queueUnbind(prefix + "sample", exchange, "sample");
				channel.queueBind(prefix + "sample", exchange, "samples");
			}
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> ConformanceKit.of(context).check().assertConforms())
				.withMessageContaining("1 of ")
				.withMessageContaining("[FAILED] service queue '" + prefix + "sample' is bound with 'sample': "
						+ "a probe sent with routing key 'sample' did not reach it.")
				.withMessageContaining("Fix: bind " + prefix + "sample to " + exchange + " with routing key 'sample'");
		}
	}

}

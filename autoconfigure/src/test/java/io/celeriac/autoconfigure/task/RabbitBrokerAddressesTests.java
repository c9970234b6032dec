package io.celeriac.autoconfigure.task;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against the real RabbitMQ: the broker's publisher connects to the nodes of
 * {@code spring.rabbitmq.addresses} in their order, as the application's consumers do, so
 * that a node that is down is passed over rather than failing every publish.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitBrokerAddressesTests {

	@Test
	void publishesThroughTheNextAddressWhenTheFirstNodeIsDown(RabbitEndpoint rabbit, ServiceIsolation isolation)
			throws IOException {
		String queue = isolation.queueNamePrefix() + "addresses";
		isolation.removeAfterwards(queue);
		String down = "127.0.0.1:" + closedPort();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, RabbitAutoConfiguration.class,
					CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.addresses=" + down + "," + rabbit.host() + ":" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + rabbit.password(),
					"spring.rabbitmq.virtual-host=" + rabbit.virtualHost(),
					"celeriac.topology.exchange=" + isolation.exchange("addresses"),
					"celeriac.topology.queue-name-prefix=" + isolation.queueNamePrefix() + "addresses-",
					"celeriac.broker.confirm-timeout=5s")
			.run((context) -> {
				Broker broker = context.getBean(Broker.class);
				assertThat(broker).isInstanceOf(RabbitBroker.class);
				try (var connection = rabbit.connectionFactory().newConnection()) {
					connection.createChannel().queueDeclare(queue, true, false, false, null);
				}
				WireMessage message = new WireMessage("{}".getBytes(StandardCharsets.UTF_8), "application/json",
						"utf-8", Map.of(), "addresses-1", null, 0, true, null);
				broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, queue, message, Duration.ofSeconds(5));
				assertThat(broker.messageCount(queue)).isEqualTo(1);
			});
	}

	/**
	 * A loopback port nothing listens on: a connection to it is refused at once.
	 */
	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}

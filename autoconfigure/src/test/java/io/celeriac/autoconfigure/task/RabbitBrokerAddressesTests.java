package io.celeriac.autoconfigure.task;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Subscription;
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
import static org.awaitility.Awaitility.await;

/**
 * Against the real RabbitMQ: the broker's publisher connects to the nodes of
 * {@code spring.rabbitmq.addresses} in their order, as the application's consumers do, so
 * that a node that is down is passed over rather than failing every publish.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitBrokerAddressesTests {

	/**
	 * Publishing and a worker's consumers, which have a connection of their own that goes
	 * to the node the application's connection found, pass the node that is down.
	 */
	@Test
	void publishesAndConsumesThroughTheNextAddressWhenTheFirstNodeIsDown(RabbitEndpoint rabbit,
			ServiceIsolation isolation) throws IOException {
		String queue = isolation.queueNamePrefix() + "addresses";
		isolation.removeAfterwards(queue);
		runner(rabbit, isolation).run((context) -> {
			Broker broker = context.getBean(Broker.class);
			assertThat(broker).isInstanceOf(RabbitBroker.class);
			declare(rabbit, queue);
			broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, queue, message("addresses-1"), Duration.ofSeconds(5));
			assertThat(broker.messageCount(queue)).isEqualTo(1);
			List<String> received = new CopyOnWriteArrayList<>();
			Subscription subscription = broker.consume(queue, new ConsumerSettings(1, 1), (delivery) -> {
				received.add(delivery.message().correlationId());
				delivery.ack();
			});
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("addresses-1"));
			}
			finally {
				subscription.stop(Duration.ofSeconds(5));
			}
		});
	}

	private static ApplicationContextRunner runner(RabbitEndpoint rabbit, ServiceIsolation isolation)
			throws IOException {
		String down = "127.0.0.1:" + closedPort();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, RabbitAutoConfiguration.class,
					CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class))
			.withPropertyValues("spring.rabbitmq.addresses=" + down + "," + rabbit.host() + ":" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + rabbit.password(),
					"spring.rabbitmq.virtual-host=" + rabbit.virtualHost(),
					"celeriac.topology.exchange=" + isolation.exchange("addresses"),
					"celeriac.topology.queue-name-prefix=" + isolation.queueNamePrefix() + "addresses-",
					"celeriac.broker.confirm-timeout=5s");
	}

	private static void declare(RabbitEndpoint rabbit, String queue) throws Exception {
		try (var connection = rabbit.connectionFactory().newConnection()) {
			connection.createChannel().queueDeclare(queue, true, false, false, null);
		}
	}

	private static WireMessage message(String id) {
		return new WireMessage("{}".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", Map.of(), id, null,
				0, true, null);
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

package io.celeriac.test.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.celeriac.events.CeleryEvent;
import io.celeriac.events.EventDispatcher;
import io.celeriac.events.EventTransport;
import io.celeriac.events.LamportClock;
import io.celeriac.events.rabbit.RabbitEventTransport;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event transport contract on RabbitMQ, the messages as Celery sends them, and events
 * dropped rather than blocking when the broker cannot be reached.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitEventTransportTests extends EventTransportContractTests {

	private final RabbitEndpoint rabbit;

	private final String exchange;

	private final CachingConnectionFactory connectionFactory;

	private final RabbitEventTransport transport;

	RabbitEventTransportTests(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.rabbit = rabbit;
		this.exchange = isolation.exchange("celeryev");
		this.connectionFactory = connectionFactory(rabbit.host(), rabbit.port());
		this.transport = new RabbitEventTransport(this.connectionFactory, settings(this.exchange, 10_000));
	}

	@AfterEach
	void closeTransport() {
		this.transport.destroy();
		this.connectionFactory.destroy();
	}

	@Override
	protected EventTransport transport() {
		return this.transport;
	}

	@Test
	void anEventIsATransientJsonMessageRoutedByItsTypeWithTheHostnameHeader() throws Exception {
		try (Connection connection = this.rabbit.connectionFactory().newConnection("events-shape");
				Channel channel = connection.createChannel()) {
			String queue = channel.queueDeclare("", false, true, true, null).getQueue();
			channel.queueBind(queue, this.exchange, "task.succeeded");
			String id = UUID.randomUUID().toString();
			new EventDispatcher(this.transport, "shape@test", new LamportClock()).send("task-succeeded",
					Map.of("uuid", id, "result", "5", "runtime", 0.5));
			AtomicReference<GetResponse> got = new AtomicReference<>();
			await().atMost(WAIT).until(() -> {
				got.set(channel.basicGet(queue, true));
				return got.get() != null;
			});
			GetResponse response = got.get();
			assertThat(response.getEnvelope().getExchange()).isEqualTo(this.exchange);
			assertThat(response.getEnvelope().getRoutingKey()).isEqualTo("task.succeeded");
			assertThat(response.getProps().getContentType()).isEqualTo("application/json");
			assertThat(response.getProps().getContentEncoding()).isEqualTo("utf-8");
			assertThat(response.getProps().getDeliveryMode()).isEqualTo(1);
			assertThat(response.getProps().getHeaders()).containsKey("hostname");
			assertThat(response.getProps().getHeaders().get("hostname").toString()).isEqualTo("shape@test");
			@SuppressWarnings("unchecked")
			Map<String, Object> body = JsonMapper.shared()
				.readValue(new String(response.getBody(), StandardCharsets.UTF_8), Map.class);
			assertThat(body).containsEntry("type", "task-succeeded")
				.containsEntry("uuid", id)
				.containsEntry("hostname", "shape@test")
				.containsEntry("result", "5")
				.containsEntry("runtime", 0.5)
				.containsKeys("timestamp", "utcoffset", "pid", "clock");
		}
	}

	@Test
	void anUnreachableBrokerDropsEventsAndNeverBlocksTheSender() {
		// nothing listens on port 1
		CachingConnectionFactory unreachable = connectionFactory("127.0.0.1", 1);
		RabbitEventTransport down = new RabbitEventTransport(unreachable, settings(this.exchange, 10));
		try {
			EventDispatcher dispatcher = new EventDispatcher(down, "down@test", new LamportClock());
			for (int i = 0; i < 1000; i++) {
				dispatcher.send("task-received", Map.of("uuid", UUID.randomUUID().toString()));
			}
			// the sends returned: those the buffer had no room for were dropped at once,
			// the others as their publishing failed
			await().atMost(WAIT).until(() -> down.dropped() == 1000);
			assertThat(down.send(new CeleryEvent(Map.of("type", "worker-heartbeat")))).isTrue();
		}
		finally {
			down.destroy();
			unreachable.destroy();
		}
	}

	private static RabbitEventTransport.Settings settings(String exchange, int bufferSize) {
		return new RabbitEventTransport.Settings(exchange, bufferSize, "celeryev", Duration.ofSeconds(5),
				Duration.ofSeconds(60));
	}

	private CachingConnectionFactory connectionFactory(String host, int port) {
		CachingConnectionFactory factory = new CachingConnectionFactory(host, port);
		factory.setUsername(this.rabbit.username());
		factory.setPassword(this.rabbit.password());
		factory.setVirtualHost(this.rabbit.virtualHost());
		return factory;
	}

}

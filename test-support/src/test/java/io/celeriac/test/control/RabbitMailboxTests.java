package io.celeriac.test.control;

import java.time.Duration;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.celeriac.control.Mailbox;
import io.celeriac.control.rabbit.RabbitMailbox;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The {@link Mailbox} contract on {@link RabbitMailbox} against the real RabbitMQ, on a
 * namespace of the class's own, and its layout as kombu 5.2 declares it: kombu redeclares
 * the same exchanges and queues with its own arguments, which RabbitMQ accepts only when
 * they are equal.
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitMailboxTests extends MailboxContractTests {

	private CachingConnectionFactory connections;

	private RabbitMailbox mailbox;

	private RabbitEndpoint rabbit;

	private String namespace;

	@BeforeAll
	void connect(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.rabbit = rabbit;
		this.namespace = isolation.queueNamePrefix() + "mb";
		isolation.exchange("mb.pidbox");
		this.connections = new CachingConnectionFactory(rabbit.connectionFactory());
		this.mailbox = new RabbitMailbox(this.connections, this.namespace, Duration.ofSeconds(300),
				Duration.ofSeconds(10));
	}

	@AfterAll
	void disconnect() throws Exception {
		this.connections.destroy();
		try (Connection connection = this.rabbit.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			channel.exchangeDelete("reply." + this.namespace + ".pidbox");
		}
	}

	@Override
	protected Mailbox mailbox() {
		return this.mailbox;
	}

	@Test
	void theLayoutIsKombusPidbox() throws Exception {
		String worker = worker("layout");
		try (AutoCloseable listener = this.mailbox.listen(worker, (command) -> {
		}); Connection connection = this.rabbit.connectionFactory().newConnection()) {
			assertThat(this.mailbox.queueName(worker)).isEqualTo(worker + "." + this.namespace + ".pidbox");
			try (Channel channel = connection.createChannel()) {
				// as kombu's Mailbox declares them (Celery's control_queue_ttl 300 s,
				// control_queue_expires 10 s)
				channel.exchangeDeclare(this.namespace + ".pidbox", "fanout", false, false, null);
				channel.queueDeclare(this.mailbox.queueName(worker), false, false, true,
						Map.of("x-expires", 10000, "x-message-ttl", 300000));
				channel.exchangeDeclare("reply." + this.namespace + ".pidbox", "direct", false, false, null);
			}
			// a channel that declares what differs is closed by RabbitMQ
			Channel channel = connection.createChannel();
			assertThatIOException()
				.isThrownBy(() -> channel.queueDeclare(this.mailbox.queueName(worker), true, false, true,
						Map.of("x-expires", 10000, "x-message-ttl", 300000)))
				.withStackTraceContaining("inequivalent arg 'durable'");
		}
	}

}

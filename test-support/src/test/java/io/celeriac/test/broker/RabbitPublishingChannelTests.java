package io.celeriac.test.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.celeriac.broker.Broker;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.resource.OwnedResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The publisher closes every channel it opened and does not use: one whose
 * {@code confirm.select} failed, and one still opening when the broker was closed. A
 * RabbitMQ node of the test's own counts the open channels ({@code rabbitmqctl
 * list_channels}); a {@link StallingProxy} in front of it drops or holds the method that
 * ends each case.
 *
 * @author Celeriac team
 */
class RabbitPublishingChannelTests {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(3);

	private static RabbitNodeProcess node;

	private final OwnedResources resources = new OwnedResources();

	@BeforeAll
	static void startNode() {
		node = RabbitNodeProcess.start();
	}

	@AfterAll
	static void stopNode() {
		if (node != null) {
			node.close();
		}
	}

	@AfterEach
	void closeResources() throws Exception {
		this.resources.close();
		await().atMost(Duration.ofSeconds(30)).until(() -> node.channels() == 0);
	}

	@Test
	void aChannelWhoseConfirmSelectFailsIsClosed() throws Exception {
		StallingProxy proxy = own(new StallingProxy(node.port()));
		CachingConnectionFactory connections = connections(proxy);
		// confirm.select fails once its answer has not come within a second
		connections.getRabbitConnectionFactory().setChannelRpcTimeout(1000);
		RabbitBroker broker = broker(connections);
		proxy.dropNext(85, 11);

		assertThatExceptionOfType(PublishFailedException.class).isThrownBy(() -> publish(broker));
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> publish(broker));

		// the channel that publishes stays; the one without confirms is gone
		await().atMost(Duration.ofSeconds(10)).until(() -> node.channels() == 1);
	}

	@Test
	void aChannelStillOpeningWhenTheBrokerClosesIsClosedOnceOpen() throws Exception {
		StallingProxy proxy = own(new StallingProxy(node.port()));
		RabbitBroker broker = broker(connections(proxy));
		// RabbitMQ opens the channel, and its channel.open-ok waits in the proxy
		proxy.stallDownstreamAt(20, 11);

		assertThatExceptionOfType(PublishFailedException.class).isThrownBy(() -> publish(broker));
		await().atMost(Duration.ofSeconds(10)).until(() -> node.channels() == 1);
		broker.destroy();
		proxy.stallDownstream(false);

		await().atMost(Duration.ofSeconds(10)).until(() -> node.channels() == 0);
	}

	private static void publish(RabbitBroker broker) {
		WireMessage message = new WireMessage("{}".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of(), "channels", null, 0, false, null);
		broker.publishConfirmed(Broker.DEFAULT_EXCHANGE, "celeriac-nowhere", message, CONFIRM_TIMEOUT);
	}

	private CachingConnectionFactory connections(StallingProxy proxy) {
		CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", proxy.port());
		connections.setUsername("guest");
		connections.setPassword("guest");
		this.resources.add(connections::destroy);
		return connections;
	}

	private RabbitBroker broker(CachingConnectionFactory connections) {
		RabbitBroker broker = new RabbitBroker(connections, CONFIRM_TIMEOUT);
		this.resources.add(broker::destroy);
		return broker;
	}

	private <T extends AutoCloseable> T own(T resource) {
		return this.resources.own(resource);
	}

}

package io.celeriac.test.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.redis.RedisClientSettings;
import io.celeriac.test.resource.OwnedResources;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Redis broker after a restart of a Redis server of the test's own without
 * persistence: the exchange bindings kombu keeps in Redis are gone, and the broker
 * declares its topology again and publishes, instead of refusing every publish until the
 * application restarts.
 *
 * @author Celeriac team
 */
class RedisBrokerRestartTests {

	private final OwnedResources resources = new OwnedResources();

	@AfterEach
	void closeResources() throws Exception {
		this.resources.close();
	}

	@Test
	void aPublishAfterRedisLostItsBindingsDeclaresTheTopologyAgain() {
		RedisServerProcess server = own(RedisServerProcess.start());
		RedisBroker broker = new RedisBroker(server.connectionFactory(RedisClientSettings.DEFAULTS, this.resources),
				"restart:");
		Topology topology = new Topology("restart", "restart-", null, Set.of("billing"), QueueType.CLASSIC, ".error");
		broker.declare(topology);
		String queue = topology.queueName("billing");
		broker.publish(topology.exchange(), "billing", message("before")).join();
		assertThat(broker.messageCount(queue)).isOne();

		server.restart();
		// the first command after the restart may meet the dropped connection; none may
		// be refused for want of bindings
		List<Throwable> failures = new ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try {
				broker.publish(topology.exchange(), "billing", message("after")).join();
				return true;
			}
			catch (CompletionException ex) {
				failures.add(ex.getCause());
				return false;
			}
		});
		assertThat(failures).noneSatisfy((failure) -> assertThat(failure).hasMessageContaining("No exchange"));
		assertThat(broker.queueExists(queue)).isTrue();
		assertThat(broker.queueExists(topology.errorQueueName(queue))).isTrue();
		assertThat(broker.messageCount(queue)).isOne();
		Delivery delivery = broker.get(queue);
		assertThat(delivery).isNotNull();
		assertThat(new String(delivery.message().body(), StandardCharsets.UTF_8)).isEqualTo("after");
		delivery.ack();
	}

	@Test
	void aPublishToAnExchangeThisProcessNeverDeclaredIsStillRefused() {
		RedisServerProcess server = own(RedisServerProcess.start());
		RedisBroker broker = new RedisBroker(server.connectionFactory(RedisClientSettings.DEFAULTS, this.resources),
				"restart:");
		assertThatThrownBy(() -> broker.publish("nowhere", "billing", message("lost")).join())
			.hasCauseInstanceOf(PublishFailedException.class)
			.hasMessageContaining("No exchange 'nowhere' is declared");
	}

	private static WireMessage message(String body) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", Map.of(), null, null,
				0, true, null);
	}

	private <T extends AutoCloseable> T own(T resource) {
		return this.resources.own(resource);
	}

}

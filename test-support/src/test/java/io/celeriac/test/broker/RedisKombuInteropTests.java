package io.celeriac.test.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis broker and kombu 5.2.4's Redis transport (Debian's, under Celery 5.2.6) on
 * one Redis, one key prefix ({@code global_keyprefix}): a fanout message published from
 * Java reaches a kombu consumer of the fanout exchange and one from kombu a Java
 * subscriber; a message that a killed kombu consumer left in {@code unacked} is restored
 * by the Java broker; a message that a Java consumer left unacknowledged is restored by
 * kombu's {@code restore_visible}. Skipped without Debian's python3-celery.
 *
 * @author Celeriac team
 */
@RealServices
class RedisKombuInteropTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final RedisEndpoint endpoint;

	private final ServiceIsolation isolation;

	private final RedisTestBroker redis;

	private final List<ChildProcess> children = new ArrayList<>();

	RedisKombuInteropTests(RedisEndpoint endpoint, ServiceIsolation isolation) {
		this.endpoint = endpoint;
		this.isolation = isolation;
		this.redis = new RedisTestBroker(endpoint, isolation);
	}

	@AfterEach
	void stop() {
		this.children.forEach(ChildProcess::close);
		this.redis.close();
	}

	@Test
	void aFanoutMessageFromJavaReachesAKombuConsumerOfTheFanoutExchange() {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = this.isolation.queueNamePrefix() + "pidbox";
		ChildProcess consumer = kombu(python, "fanout", exchange, this.isolation.queueNamePrefix() + "fanout-queue");
		consumer.awaitLine("ready", TIMEOUT);
		RedisBroker broker = this.redis.broker();
		WireMessage message = new WireMessage("{\"method\": \"ping\"}".getBytes(StandardCharsets.UTF_8),
				"application/json", "utf-8", Map.of(), null, null, 0, false, null);
		// a PUBLISH reaches only subscribers present at that moment: publish until one
		// was
		await().atMost(TIMEOUT).until(() -> broker.publishFanout(exchange, "", message) == 1);
		JsonNode received = JsonMapper.shared().readTree(consumer.awaitLine("\"body\"", TIMEOUT));
		assertThat(received.path("body").path("method").asString()).isEqualTo("ping");
		assertThat(received.path("exchange").asString()).isEqualTo(exchange);
		assertThat(received.path("content_type").asString()).isEqualTo("application/json");
	}

	@Test
	void aFanoutMessageFromKombuReachesAJavaSubscriberOfTheFanoutExchange() {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = this.isolation.queueNamePrefix() + "celeryev";
		List<WireMessage> received = new CopyOnWriteArrayList<>();
		try (Subscription subscription = this.redis.broker().subscribeFanout(exchange, "#", received::add)) {
			// a PUBLISH reaches only subscribers present at that moment: publish until
			// one was
			await().atMost(TIMEOUT).until(() -> {
				kombu(python, "publish", exchange, "task.succeeded", "{\"type\": \"task-succeeded\"}")
					.awaitLine("published", TIMEOUT);
				return !received.isEmpty();
			});
		}
		JsonNode body = JsonMapper.shared().readTree(received.get(0).body());
		assertThat(body.path("type").asString()).isEqualTo("task-succeeded");
		assertThat(received.get(0).contentType()).isEqualTo("application/json");
	}

	@Test
	void aMessageThatAKilledKombuConsumerHeldIsRestoredByTheJavaBroker() {
		PythonCelery python = PythonCelery.assumeInstalled();
		Topology topology = this.redis.newTopology("reports");
		RedisBroker broker = this.redis.broker();
		broker.declare(topology);
		String queue = topology.queueName("reports");
		broker.publish(topology.exchange(), "reports", json("[1, 2]")).join();
		ChildProcess taker = kombu(python, "take", queue);
		JsonNode taken = JsonMapper.shared().readTree(taker.awaitLine("\"body\"", TIMEOUT));
		assertThat(taken.path("body").toString()).isEqualTo("[1,2]");
		assertThat(taker.awaitExit(TIMEOUT)).isZero();
		assertThat(broker.stats(queue).ready()).isZero();
		// after the visibility timeout the Java side's restore routes it by exchange and
		// routing key, as kombu does
		Delivery[] again = new Delivery[1];
		await().atMost(TIMEOUT).until(() -> (again[0] = broker.get(queue)) != null);
		assertThat(again[0].message().body()).isEqualTo("[1, 2]".getBytes(StandardCharsets.UTF_8));
		assertThat(again[0].redelivered()).isTrue();
		assertThat(again[0].deliveryCount()).hasValue(2);
		again[0].ack();
	}

	@Test
	void aMessageThatAJavaConsumerLeftUnacknowledgedIsRestoredByKombu() {
		PythonCelery python = PythonCelery.assumeInstalled();
		Topology topology = this.redis.newTopology("reports");
		RedisBroker broker = new RedisBroker(this.redis.connectionFactory(), this.isolation.redisKeyPrefix(),
				Duration.ofMinutes(10), Duration.ofSeconds(1));
		broker.declare(topology);
		String queue = topology.queueName("reports");
		broker.publish(topology.exchange(), "reports", json("[3]")).join();
		Delivery abandoned = broker.get(queue);
		assertThat(abandoned).isNotNull();
		// kombu with a visibility timeout of 0: every unacknowledged message is due
		assertThat(kombu(python, "restore", "0").awaitLine("restored", TIMEOUT)).isNotNull();
		assertThat(broker.stats(queue).ready()).isOne();
		Delivery again = broker.get(queue);
		assertThat(again).isNotNull();
		assertThat(again.message().body()).isEqualTo("[3]".getBytes(StandardCharsets.UTF_8));
		assertThat(again.redelivered()).isTrue();
		again.ack();
		assertThat(broker.stats(queue).inFlight()).isZero();
	}

	private static WireMessage json(String body) {
		return new WireMessage(body.getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", Map.of(), null, null,
				0, true, null);
	}

	private ChildProcess kombu(PythonCelery python, String... arguments) {
		List<String> command = new ArrayList<>(List.of(python.python().toString(), script().toString(),
				"redis://" + this.endpoint.host() + ":" + this.endpoint.port() + "/0",
				this.isolation.redisKeyPrefix()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("PYTHONUNBUFFERED", "1");
		builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
		ChildProcess child = ChildProcess.start("kombu-" + arguments[0], builder);
		this.children.add(child);
		return child;
	}

	private static Path script() {
		try (InputStream in = RedisKombuInteropTests.class.getResourceAsStream("kombu_redis.py")) {
			if (in == null) {
				throw new IllegalStateException("Missing resource kombu_redis.py");
			}
			Path script = Files.createTempFile("kombu_redis", ".py");
			script.toFile().deleteOnExit();
			Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
			return script;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

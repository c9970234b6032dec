package io.celeriac.test.celery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Celery protocol v2 messages built by hand in Java with the plain RabbitMQ client, as a
 * non-Python producer publishes them, run by a real Python Celery 5.2.6 worker: which
 * headers, header types and values it accepts (see {@code docs/celery-interop.md}).
 *
 * @author Celeriac team
 */
@RealServices
@TestInstance(Lifecycle.PER_CLASS)
class CeleryProtocolFromJavaTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String EMBED = "{\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}";

	private @Nullable PythonCelery python;

	private @Nullable CeleryTopology topology;

	private @Nullable PythonCeleryWorker worker;

	private @Nullable Connection connection;

	@BeforeAll
	void startWorker(RabbitEndpoint rabbit, ServiceIsolation isolation) throws Exception {
		PythonCelery python = PythonCelery.assumeInstalled();
		CeleryTopology topology = CeleryTopology.of(rabbit, isolation.exchange("task_exchange"),
				isolation.queueNamePrefix(), "pyservice", "pycrash");
		topology.queueNames().forEach(isolation::removeAfterwards);
		this.python = python;
		this.topology = topology;
		this.worker = python.startWorker(topology, List.of("pyservice"), TIMEOUT);
		this.connection = rabbit.connectionFactory().newConnection("celery-protocol-from-java");
	}

	@AfterAll
	void stopWorker() throws Exception {
		if (this.connection != null) {
			this.connection.close();
		}
		if (this.worker != null) {
			this.worker.close();
		}
	}

	@Test
	void messageBuiltExactlyLikeCelerysOwnRunsWithLangJava() throws Exception {
		String id = UUID.randomUUID().toString();
		String replyTo = UUID.randomUUID().toString();
		// msg-simple.json of the wire capture, with lang java and args [6, 7]
		publish(properties(id).replyTo(replyTo).build(), headers(id), "[[6, 7], {}, " + EMBED + "]");
		TaskRun run = worker().awaitRun(id, TIMEOUT);
		assertThat(run.result()).isEqualTo(42);
		assertThat(run.lang()).isEqualTo("java");
		assertThat(run.origin()).isEqualTo("java-test@localhost");
		assertThat(run.correlationId()).isEqualTo(id);
		assertThat(run.replyTo()).isEqualTo(replyTo);
		assertThat(run.rootId()).isEqualTo(id);
		assertThat(run.parentId()).isNull();
		assertThat(run.retries()).isZero();
		assertThat(run.routingKey()).isEqualTo("pyservice");
	}

	@Test
	void messageWithOnlyTaskAndIdHeadersAndContentTypeRuns() throws Exception {
		String id = UUID.randomUUID().toString();
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put("task", "pyservice.multiply");
		headers.put("id", id);
		publish(new AMQP.BasicProperties.Builder().contentType("application/json").build(), headers,
				"[[6, 7], {}, " + EMBED + "]");
		TaskRun run = worker().awaitRun(id, TIMEOUT);
		assertThat(run.result()).isEqualTo(42);
		assertThat(run.rootId()).isNull();
		assertThat(run.lang()).isNull();
	}

	@Test
	void keywordArgumentsBindByNameAndCompactJsonIsRead() throws Exception {
		String id = UUID.randomUUID().toString();
		publish(properties(id).build(), headers(id), "[[],{\"y\":7,\"x\":6},{}]");
		TaskRun run = worker().awaitRun(id, TIMEOUT);
		assertThat(run.kwargs()).containsEntry("x", 6).containsEntry("y", 7);
		assertThat(run.result()).isEqualTo(42);
	}

	@Test
	void etaAndExpiresInMicrosecondsWithZuluOffsetAndLongRetriesAreAccepted() throws Exception {
		String id = UUID.randomUUID().toString();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		Map<String, Object> headers = headers(id, (map) -> {
			map.put("eta", now.toString());
			map.put("expires", now.plusSeconds(600).toString());
			map.put("retries", 3L);
			map.put("timelimit", Arrays.asList(60, 50));
			map.put("x-celeriac-extra", "unknown headers are carried along");
		});
		publish(properties(id).build(), headers, "[[6, 7], {}, " + EMBED + "]");
		TaskRun run = worker().awaitRun(id, TIMEOUT);
		assertThat(run.result()).isEqualTo(42);
		assertThat(run.retries()).isEqualTo(3);
	}

	@Test
	void expiredTaskIsDiscardedAndTheWorkerGoesOn() throws Exception {
		String expired = UUID.randomUUID().toString();
		publish(properties(expired).build(), headers(expired,
				(map) -> map.put("expires", Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(60).toString())),
				"[[6, 7], {}, " + EMBED + "]");
		worker().process().awaitLine("Discarding revoked task: pyservice.multiply[" + expired + "]", TIMEOUT);
		String next = UUID.randomUUID().toString();
		publish(properties(next).build(), headers(next), "[[1, 2], {}, " + EMBED + "]");
		assertThat(worker().awaitRun(next, TIMEOUT).result()).isEqualTo(2);
		assertThat(worker().run(expired)).isEmpty();
	}

	@Test
	void etaThatIsNotAStringIsRejectedAndTheWorkerGoesOn() throws Exception {
		String invalid = UUID.randomUUID().toString();
		publish(properties(invalid).build(), headers(invalid, (map) -> map.put("eta", 1795425545)),
				"[[6, 7], {}, " + EMBED + "]");
		worker().process().awaitLine("Received invalid task message: invalid ETA value 1795425545", TIMEOUT);
		String next = UUID.randomUUID().toString();
		publish(properties(next).build(), headers(next), "[[2, 2], {}, " + EMBED + "]");
		assertThat(worker().awaitRun(next, TIMEOUT).result()).isEqualTo(4);
		assertThat(worker().run(invalid)).isEmpty();
	}

	@Test
	void timestampWithNanosecondsIsRejectedAndTheWorkerGoesOn() throws Exception {
		String invalid = UUID.randomUUID().toString();
		// Instant.toString() writes nine fraction digits when the clock has them
		String expires = "2099-01-01T00:00:00.123456789Z";
		publish(properties(invalid).build(), headers(invalid, (map) -> map.put("expires", expires)),
				"[[6, 7], {}, " + EMBED + "]");
		worker().process()
			.awaitLine("Received invalid task message: invalid expires value '" + expires
					+ "': microsecond must be in 0..999999", TIMEOUT);
		String next = UUID.randomUUID().toString();
		publish(properties(next).build(), headers(next), "[[3, 3], {}, " + EMBED + "]");
		assertThat(worker().awaitRun(next, TIMEOUT).result()).isEqualTo(9);
		assertThat(worker().run(invalid)).isEmpty();
	}

	private void publish(AMQP.BasicProperties properties, Map<String, Object> headers, String body) throws Exception {
		AMQP.BasicProperties withHeaders = properties.builder().headers(headers).build();
		try (Channel channel = Objects.requireNonNull(this.connection).createChannel()) {
			channel.confirmSelect();
			channel.basicPublish(topology().exchange(), "pyservice", true, withHeaders,
					body.getBytes(StandardCharsets.UTF_8));
			channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
		}
	}

	/**
	 * The AMQP properties Celery 5.2.6 sets on every task message.
	 */
	static AMQP.BasicProperties.Builder properties(String id) {
		return new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.deliveryMode(2)
			.priority(0)
			.correlationId(id)
			.replyTo(UUID.randomUUID().toString());
	}

	static Map<String, Object> headers(String id) {
		return headers(id, (map) -> {
		});
	}

	/**
	 * The protocol v2 headers in Celery's order, with Celery's types: strings, null
	 * (void), int, a two-element array for timelimit and a boolean.
	 */
	static Map<String, Object> headers(String id, Consumer<Map<String, @Nullable Object>> changes) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "java");
		headers.put("task", "pyservice.multiply");
		headers.put("id", id);
		headers.put("shadow", null);
		headers.put("eta", null);
		headers.put("expires", null);
		headers.put("group", null);
		headers.put("group_index", null);
		headers.put("retries", 0);
		headers.put("timelimit", Arrays.asList(null, null));
		headers.put("root_id", id);
		headers.put("parent_id", null);
		headers.put("argsrepr", "[6, 7]");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "java-test@localhost");
		headers.put("ignore_result", false);
		changes.accept(headers);
		@SuppressWarnings("unchecked")
		Map<String, Object> result = (Map<String, Object>) (Map<String, ?>) headers;
		return result;
	}

	private CeleryTopology topology() {
		return Objects.requireNonNull(this.topology, "topology");
	}

	private PythonCeleryWorker worker() {
		return Objects.requireNonNull(this.worker, "worker");
	}

}

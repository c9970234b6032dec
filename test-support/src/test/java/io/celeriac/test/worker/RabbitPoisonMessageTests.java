package io.celeriac.test.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poison message for real: a task that halts its worker's JVM, on a RabbitMQ quorum
 * queue. Each worker that takes it dies, RabbitMQ gives it to the next; once it has been
 * delivered {@code maxDeliveries} times, the next worker moves it to the error queue
 * instead of running it, and lives.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitPoisonMessageTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final int MAX_DELIVERIES = 2;

	private final RabbitEndpoint endpoint;

	private final ServiceIsolation isolation;

	private final RabbitTestBroker rabbit;

	RabbitPoisonMessageTests(RabbitEndpoint endpoint, ServiceIsolation isolation) {
		this.endpoint = endpoint;
		this.isolation = isolation;
		this.rabbit = new RabbitTestBroker(endpoint, isolation);
	}

	@AfterEach
	void disconnect() {
		this.rabbit.close();
	}

	@Test
	void aTaskThatKillsItsWorkersEndsInTheErrorQueueAfterTheDeliveryLimit() {
		Topology plain = this.rabbit.newTopology("poison");
		Topology topology = new Topology(plain.exchange(), plain.queueNamePrefix() + "q-", null, Set.of("poison"),
				QueueType.QUORUM, ".error");
		topology.bindings().forEach((binding) -> this.isolation.removeAfterwards(binding.queue()));
		topology.errorQueueNames().forEach(this.isolation::removeAfterwards);
		broker().declare(topology);
		String queue = topology.queueName("poison");
		String errorQueue = topology.errorQueueName(queue);
		WireMessage poison = crashTask();
		broker().publish(topology.exchange(), "poison", poison).join();
		int died = 0;
		while (true) {
			try (ChildProcess worker = JavaProcess.of(PoisonWorkerMain.class)
				.arguments(this.endpoint.host(), Integer.toString(this.endpoint.port()), this.endpoint.username(),
						this.endpoint.password(), this.endpoint.virtualHost(), topology.exchange(),
						topology.queueNamePrefix(), Integer.toString(MAX_DELIVERIES))
				.start()) {
				await().atMost(WAIT).until(() -> !worker.isAlive() || broker().messageCount(errorQueue) > 0);
				if (!worker.isAlive()) {
					assertThat(worker.awaitExit(WAIT)).isEqualTo(3);
					assertThat(worker.output()).anyMatch((line) -> line.contains("crashing"));
					died++;
					assertThat(died).as("workers killed by the task").isLessThanOrEqualTo(MAX_DELIVERIES);
					continue;
				}
				// the worker that quarantined it lives and did not run it
				assertThat(worker.isAlive()).isTrue();
				assertThat(worker.output()).noneMatch((line) -> line.contains("crashing"));
				break;
			}
		}
		assertThat(died).isEqualTo(MAX_DELIVERIES);
		Delivery moved = broker().get(errorQueue);
		assertThat(moved).isNotNull();
		Map<String, @Nullable Object> headers = moved.message().headers();
		assertThat(headers.get("x-celeriac-error-kind")).hasToString(ErrorKind.DELIVERY_LIMIT.name());
		assertThat(String.valueOf(headers.get("x-celeriac-error-reason")))
			.contains("Delivered " + MAX_DELIVERIES + " times without completing")
			.contains("a worker probably died running it");
		assertThat(moved.message().body()).isEqualTo(poison.body());
		moved.ack();
		assertThat(broker().messageCount(queue)).isZero();
	}

	private RabbitBroker broker() {
		return this.rabbit.broker();
	}

	private static WireMessage crashTask() {
		String id = UUID.randomUUID().toString();
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("lang", "py");
		headers.put("task", "poison.crash");
		headers.put("id", id);
		headers.put("retries", 0);
		headers.put("root_id", id);
		headers.put("parent_id", null);
		headers.put("argsrepr", "()");
		headers.put("kwargsrepr", "{}");
		headers.put("origin", "gen1@test");
		headers.put("ignore_result", true);
		return new WireMessage("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers,
				id, null, 0, true, null);
	}

}

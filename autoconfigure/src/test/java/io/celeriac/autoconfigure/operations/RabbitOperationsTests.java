package io.celeriac.autoconfigure.operations;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.operations.endpoint.CeleriacEndpoint;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against the real RabbitMQ: health, metrics after a known workload, and requeueing from
 * an error queue.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitOperationsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void healthIsUpWithDepthsAndMetricsCountAKnownWorkload(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String prefix = prefix(isolation, "metrics-");
		runner(rabbit, isolation.exchange("metrics"), prefix).run((context) -> {
			Health health = context.getBean("celeriacHealthIndicator", HealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("queues").toString()).contains(prefix + "jobs.error");
			OperationsWorkload.send(context.getBean(Jobs.class), 3, 2, 2);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			OperationsWorkload.assertCounts(registry, "jobs", 3, 2, 2, WAIT);
			await().atMost(WAIT)
				.until(() -> registry.get("celeriac.queue.error.depth").tag("queue", prefix + "jobs").gauge().value(),
						(depth) -> depth == 2);
		});
	}

	@Test
	void pauseStopsConsumptionAndResumeRunsWhatWaited(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String prefix = prefix(isolation, "pause-");
		runner(rabbit, isolation.exchange("pause"), prefix).run((context) -> {
			CeleriacEndpoint endpoint = context.getBean(CeleriacEndpoint.class);
			Broker broker = context.getBean(Broker.class);
			await().atMost(WAIT).until(() -> consumers(rabbit, prefix + "jobs") > 0);
			assertThat(endpoint.operate("pause", null, null).running()).isFalse();
			assertThat(endpoint.celeriac().worker().running()).isFalse();
			assertThat(consumers(rabbit, prefix + "jobs")).isZero();
			context.getBean(Jobs.class).ok(21);
			// confirmed by RabbitMQ and waiting: nothing consumes the queue
			await().atMost(WAIT).until(() -> broker.messageCount(prefix + "jobs") == 1);
			assertThat(consumers(rabbit, prefix + "jobs")).isZero();
			assertThat(endpoint.operate("resume", null, null).running()).isTrue();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(WAIT).until(() -> {
				Counter succeeded = registry.find("celeriac.tasks")
					.tag("name", "jobs.ok")
					.tag("state", "succeeded")
					.counter();
				return succeeded != null && succeeded.count() == 1;
			});
			assertThat(broker.messageCount(prefix + "jobs")).isZero();
		});
	}

	@Test
	void requeueMovesErrorQueueMessagesBackToTheirQueue(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String prefix = prefix(isolation, "requeue-");
		runner(rabbit, isolation.exchange("requeue"), prefix).run((context) -> {
			CeleriacEndpoint endpoint = context.getBean(CeleriacEndpoint.class);
			TaskClient client = context.getBean(TaskClient.class);
			for (int i = 0; i < 3; i++) {
				client.send("jobs.missing", List.of(i), Map.of(), TaskOptions.defaults());
			}
			Broker broker = context.getBean(Broker.class);
			await().atMost(WAIT).until(() -> broker.messageCount(prefix + "jobs.error") == 3);
			endpoint.operate("pause", null, null);
			assertThat(endpoint.operate("requeue", prefix + "jobs.error", 2).messages()).isEqualTo(2);
			await().atMost(WAIT).until(() -> broker.messageCount(prefix + "jobs") == 2);
			Delivery requeued = broker.get(prefix + "jobs");
			assertThat(requeued).isNotNull();
			assertThat(requeued.message().headers()).containsEntry("task", "jobs.missing")
				.doesNotContainKeys(ErrorHeaders.KIND, ErrorHeaders.ROUTING_KEY);
			requeued.ack();
			assertThat(endpoint.operate("discard", prefix + "jobs.error", 10).messages()).isEqualTo(1);
			assertThat(broker.messageCount(prefix + "jobs.error")).isZero();
			assertThat(endpoint.operate("resume", null, null).running()).isTrue();
		});
	}

	@Test
	void brokerHealthIsDownWithAReasonWhenRabbitDoesNotAnswer() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		new ApplicationContextRunner().withConfiguration(configurations())
			.withBean(Jobs.class)
			.withPropertyValues("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=" + closedPort,
					"spring.rabbitmq.connection-timeout=1s", "celeriac.broker.type=rabbit",
					"celeriac.topology.declare=false", "celeriac.worker.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Health health = context.getBean("celeriacHealthIndicator", HealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("reason").toString()).startsWith("The broker did not answer");
			});
	}

	private static long consumers(RabbitEndpoint rabbit, String queue) throws Exception {
		try (Connection connection = rabbit.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getConsumerCount();
		}
	}

	private static String prefix(ServiceIsolation isolation, String name) {
		String prefix = isolation.queueNamePrefix() + name;
		for (String queue : List.of("platform.fifo", "celery", "jobs")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		return prefix;
	}

	private static AutoConfigurations configurations() {
		return AutoConfigurations.of(JacksonAutoConfiguration.class, RabbitAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
				CeleriacOperationsAutoConfiguration.class);
	}

	private static ApplicationContextRunner runner(RabbitEndpoint rabbit, String exchange, String prefix) {
		return new ApplicationContextRunner().withConfiguration(configurations())
			.withBean(Jobs.class)
			.withPropertyValues("spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + rabbit.password(),
					"spring.rabbitmq.virtual-host=" + rabbit.virtualHost(), "celeriac.topology.exchange=" + exchange,
					"celeriac.topology.queue-name-prefix=" + prefix,
					"management.endpoints.web.exposure.include=celeriac");
	}

}

package io.celeriac.autoconfigure.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskHandle;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.worker.TaskWorker;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Against the real RabbitMQ: the topology Celeriac declares, and a task published through
 * a {@code @Deferrable} proxy landing in its service queue and in the monitor queue as
 * Celery would have sent it.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitTopologyTests {

	private static final List<String> CELERY_HEADERS = List.of("lang", "task", "id", "shadow", "eta", "expires",
			"group", "group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
			"ignore_result");

	@Test
	void declaresTheCeleryTopologyAndRoutesATaskToItsServiceAndTheMonitor(RabbitEndpoint rabbit,
			ServiceIsolation isolation) throws Exception {
		String exchange = isolation.exchange("tasks");
		String prefix = isolation.queueNamePrefix();
		for (String queue : List.of("platform.fifo", "celery", "reports", "exports")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		runner(rabbit)
			.withPropertyValues("celeriac.topology.exchange=" + exchange,
					"celeriac.topology.queue-name-prefix=" + prefix, "celeriac.topology.queues=exports",
					"celeriac.worker.enabled=false")
			.run((context) -> {
				assertThat(context).getBean(Broker.class).isInstanceOf(RabbitBroker.class);
				try (Connection connection = connect(context.getBean(ConnectionFactory.class))) {
					Channel channel = connection.createChannel();
					// declaring again with the same type and durability succeeds only if
					// they match
					channel.exchangeDeclare(exchange, "topic", true);
					for (String queue : List.of("platform.fifo", "celery", "reports", "exports", "reports.error",
							"exports.error", "celery.error")) {
						assertThat(channel.queueDeclarePassive(prefix + queue).getQueue()).isEqualTo(prefix + queue);
					}
					assertThatExceptionOfType(IOException.class)
						.isThrownBy(() -> connection.createChannel().queueDeclarePassive("reports"));

					TaskHandle<String> handle = context.getBean(Reports.class).generate(42, "csv");

					GetResponse inService = get(channel, prefix + "reports");
					GetResponse inMonitor = get(channel, prefix + "platform.fifo");
					assertThat(channel.basicGet(prefix + "exports", true)).isNull();
					assertThat(channel.basicGet(prefix + "celery", true)).isNull();
					for (GetResponse response : List.of(inService, inMonitor)) {
						assertCeleryMessage(response, handle.id(), exchange);
					}
					assertThat(inMonitor.getBody()).isEqualTo(inService.getBody());
				}
			});
	}

	@Test
	void declaresServiceQueuesWithTheConfiguredMaxPriority(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String exchange = isolation.exchange("priority");
		String prefix = isolation.queueNamePrefix() + "priority-";
		for (String queue : List.of("platform.fifo", "celery", "reports")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		runner(rabbit)
			.withPropertyValues("celeriac.topology.exchange=" + exchange,
					"celeriac.topology.queue-name-prefix=" + prefix, "celeriac.topology.max-priority=10",
					"celeriac.worker.enabled=false")
			.run((context) -> {
				try (Connection connection = connect(context.getBean(ConnectionFactory.class))) {
					// declaring again succeeds only with the same arguments
					Map<String, Object> priority = Map.of("x-max-priority", 10);
					connection.createChannel().queueDeclare(prefix + "reports", true, false, false, priority);
					connection.createChannel().queueDeclare(prefix + "celery", true, false, false, priority);
					assertThatExceptionOfType(IOException.class).as("the monitor queue has no priorities")
						.isThrownBy(() -> connection.createChannel()
							.queueDeclare(prefix + "platform.fifo", true, false, false, priority));
					assertThatExceptionOfType(IOException.class).as("nor have error queues")
						.isThrownBy(() -> connection.createChannel()
							.queueDeclare(prefix + "reports.error", true, false, false, priority));
				}
			});
	}

	@Test
	void aWorkerRunsTheTaskFromTheRealBroker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String exchange = isolation.exchange("run");
		String prefix = isolation.queueNamePrefix() + "run-";
		for (String queue : List.of("platform.fifo", "celery", "reports")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		runner(rabbit)
			.withPropertyValues("celeriac.topology.exchange=" + exchange,
					"celeriac.topology.queue-name-prefix=" + prefix)
			.run((context) -> {
				assertThat(context.getBean(TaskWorker.class).queues()).containsExactly(prefix + "reports");
				assertThat(context.getBean(Reports.class).generate(7, "pdf").await(Duration.ofSeconds(20)))
					.isEqualTo("report 7 as pdf");
			});
	}

	private static ApplicationContextRunner runner(RabbitEndpoint rabbit) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, RabbitAutoConfiguration.class,
					CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
					WorkerAutoConfiguration.class))
			.withUserConfiguration(ReportsConfiguration.class)
			.withPropertyValues("spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + rabbit.password(),
					"spring.rabbitmq.virtual-host=" + rabbit.virtualHost());
	}

	private static void assertCeleryMessage(GetResponse response, String id, String exchange) {
		assertThat(response.getEnvelope().getExchange()).isEqualTo(exchange);
		assertThat(response.getEnvelope().getRoutingKey()).isEqualTo("reports");
		var properties = response.getProps();
		assertThat(properties.getContentType()).isEqualTo("application/json");
		assertThat(properties.getContentEncoding()).isEqualTo("utf-8");
		assertThat(properties.getDeliveryMode()).isEqualTo(2);
		assertThat(properties.getPriority()).isZero();
		assertThat(properties.getCorrelationId()).isEqualTo(id);
		assertThat(properties.getReplyTo()).matches("[0-9a-f-]{36}");
		Map<String, Object> headers = properties.getHeaders();
		assertThat(new ArrayList<>(headers.keySet())).containsExactlyInAnyOrderElementsOf(CELERY_HEADERS);
		assertThat(text(headers.get("lang"))).isEqualTo("java");
		assertThat(text(headers.get("task"))).isEqualTo("reports.generate");
		assertThat(text(headers.get("id"))).isEqualTo(id);
		assertThat(text(headers.get("root_id"))).isEqualTo(id);
		for (String empty : List.of("shadow", "eta", "expires", "group", "group_index", "parent_id")) {
			assertThat(headers.get(empty)).as(empty).isNull();
		}
		assertThat(headers.get("retries")).isEqualTo(0);
		assertThat(headers.get("timelimit")).isEqualTo(java.util.Arrays.asList(null, null));
		assertThat(text(headers.get("argsrepr"))).isEqualTo("[42, 'csv']");
		assertThat(text(headers.get("kwargsrepr"))).isEqualTo("{}");
		assertThat(text(headers.get("origin"))).matches("gen\\d+@.+");
		assertThat(headers.get("ignore_result")).isEqualTo(false);
		assertThat(new String(response.getBody(), StandardCharsets.UTF_8))
			.isEqualTo("[[42,\"csv\"],{},{\"callbacks\":null,\"errbacks\":null,\"chain\":null,\"chord\":null}]");
	}

	private static String text(Object value) {
		assertThat(value).isInstanceOf(LongString.class);
		return value.toString();
	}

	private static GetResponse get(Channel channel, String queue) {
		GetResponse[] found = new GetResponse[1];
		await().atMost(Duration.ofSeconds(10)).until(() -> (found[0] = channel.basicGet(queue, true)) != null);
		return found[0];
	}

	private static Connection connect(ConnectionFactory connectionFactory) throws Exception {
		return ((org.springframework.amqp.rabbit.connection.AbstractConnectionFactory) connectionFactory)
			.getRabbitConnectionFactory()
			.newConnection();
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportsConfiguration {

		@Bean
		Reports reports() {
			return new Reports();
		}

	}

	public static class Reports {

		@Deferrable(name = "reports.generate")
		public TaskHandle<String> generate(int id, String format) {
			return TaskHandle.completed("report " + id + " as " + format);
		}

	}

}

package io.celeriac.autoconfigure.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.events.CeleryEvent;
import io.celeriac.events.EventTransport;
import io.celeriac.events.TaskEvents;
import io.celeriac.events.WorkerEventHeartbeat;
import io.celeriac.events.memory.InMemoryEventTransport;
import io.celeriac.events.rabbit.RabbitEventTransport;
import io.celeriac.task.Deferrable;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EventsAutoConfiguration}: off by default, the worker's task and worker
 * events with {@code celeriac.events.enabled}, the producer's {@code task-sent} alone
 * with {@code celeriac.events.task-sent}, the RabbitMQ transport beside the RabbitMQ
 * broker, and user beans winning.
 *
 * @author Celeriac team
 */
@RealServices
class EventsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
				EventsAutoConfiguration.class))
		.withBean(Adder.class)
		.withPropertyValues("celeriac.worker.name=events@test");

	@Test
	void noEventsByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(TaskEvents.class);
			assertThat(context).doesNotHaveBean(EventTransport.class);
			assertThat(context).doesNotHaveBean(WorkerEventHeartbeat.class);
		});
	}

	@Test
	void theWorkerSendsTaskAndWorkerEventsWhenEnabled() {
		this.contextRunner
			.withPropertyValues("celeriac.events.enabled=true", "celeriac.events.task-sent=true",
					"celeriac.events.heartbeat-interval=100ms")
			.run((context) -> {
				assertThat(context.getBean(EventTransport.class)).isInstanceOf(InMemoryEventTransport.class);
				assertThat(context).hasSingleBean(WorkerEventHeartbeat.class);
				List<CeleryEvent> events = subscribe(context.getBean(EventTransport.class));
				assertThat(context.getBean(Adder.class).add(2, 3).get()).isEqualTo(5);
				await().atMost(WAIT)
					.until(() -> types(events, "events@test")
						.containsAll(List.of("task-received", "task-started", "task-succeeded", "worker-heartbeat")));
				CeleryEvent succeeded = events.stream()
					.filter((event) -> event.type().equals("task-succeeded"))
					.findFirst()
					.orElseThrow();
				assertThat(succeeded.get("result")).isEqualTo("5");
				await().atMost(WAIT).until(() -> events.stream().anyMatch((event) -> event.type().equals("task-sent")));
			});
	}

	@Test
	void onlyTaskSentWhenOnlyThatIsAsked() {
		this.contextRunner.withPropertyValues("celeriac.events.task-sent=true").run((context) -> {
			assertThat(context).doesNotHaveBean(WorkerEventHeartbeat.class);
			List<CeleryEvent> events = subscribe(context.getBean(EventTransport.class));
			assertThat(context.getBean(Adder.class).add(1, 2).get()).isEqualTo(3);
			await().atMost(WAIT).until(() -> events.stream().anyMatch((event) -> event.type().equals("task-sent")));
			// the worker had taken and run the task (its result came back) before this
			assertThat(events).extracting(CeleryEvent::type).containsOnly("task-sent");
		});
	}

	@Test
	void userBeansWin() {
		InMemoryEventTransport transport = new InMemoryEventTransport();
		this.contextRunner.withPropertyValues("celeriac.events.enabled=true")
			.withBean("myTransport", EventTransport.class, () -> transport)
			.withBean("myTaskEvents", TaskEvents.class,
					() -> new TaskEvents(null, null,
							new Topology("x", "dev-", null, java.util.Set.of(), io.celeriac.topology.QueueType.CLASSIC,
									".error"),
							tools.jackson.databind.json.JsonMapper.shared()))
			.run((context) -> {
				assertThat(context.getBean(EventTransport.class)).isSameAs(transport);
				assertThat(context.getBean(TaskEvents.class)).isSameAs(context.getBean("myTaskEvents"));
			});
	}

	@Test
	void eventsGoToRabbitMqBesideTheRabbitMqBroker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String prefix = isolation.queueNamePrefix() + "events-";
		for (String queue : List.of("platform.fifo", "celery", "adder")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, RabbitAutoConfiguration.class,
					CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
					WorkerAutoConfiguration.class, EventsAutoConfiguration.class))
			.withBean(Adder.class)
			.withPropertyValues("spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + rabbit.password(),
					"spring.rabbitmq.virtual-host=" + rabbit.virtualHost(),
					"celeriac.topology.exchange=" + isolation.exchange("events-tasks"),
					"celeriac.topology.queue-name-prefix=" + prefix, "celeriac.events.enabled=true",
					"celeriac.events.exchange=" + isolation.exchange("events-celeryev"),
					"celeriac.worker.name=rabbit@test")
			.run((context) -> {
				assertThat(context.getBean(EventTransport.class)).isInstanceOf(RabbitEventTransport.class);
				List<CeleryEvent> events = subscribe(context.getBean(EventTransport.class));
				assertThat(context.getBean(Adder.class).add(4, 5).get()).isEqualTo(9);
				await().atMost(WAIT).until(() -> types(events, "rabbit@test").contains("task-succeeded"));
			});
	}

	private static List<CeleryEvent> subscribe(EventTransport transport) {
		List<CeleryEvent> events = new CopyOnWriteArrayList<>();
		transport.subscribe(events::add);
		return events;
	}

	private static List<String> types(List<CeleryEvent> events, String hostname) {
		return events.stream().filter((event) -> hostname.equals(event.hostname())).map(CeleryEvent::type).toList();
	}

	public static class Adder {

		@Deferrable(name = "adder.add")
		public CompletableFuture<Integer> add(int x, int y) {
			return CompletableFuture.completedFuture(x + y);
		}

	}

}

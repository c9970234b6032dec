package io.celeriac.autoconfigure.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.registry.WorkerRegistryAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.control.WorkerControl;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;
import io.celeriac.control.Revocations;
import io.celeriac.revoke.RevokedTaskStore;
import io.celeriac.revoke.memory.InMemoryRevokedTaskStore;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Celery 5.2.6's remote control and a Java worker on the real RabbitMQ, each test on a
 * pidbox of its own ({@code celeriac.control.exchange}): the {@code celery} command line
 * lists the Java worker and its tasks, Python's {@code AsyncResult.revoke()} stops a
 * queued Java task (and with {@code terminate=True} interrupts a running one), and the
 * Java {@link WorkerControl} reaches a Python worker.
 *
 * @author Celeriac team
 */
@RealServices
class CeleryRemoteControlTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final JsonMapper json = JsonMapper.builder().build();

	private RabbitEndpoint rabbit;

	private String namespace;

	private String exchange;

	private String prefix;

	private String javaWorker;

	@BeforeEach
	void isolate(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this.rabbit = rabbit;
		this.namespace = isolation.queueNamePrefix() + "ctl";
		isolation.exchange("ctl.pidbox");
		this.exchange = isolation.exchange("control_tasks");
		// a prefix per test: a task a test leaves in its queue reaches no other test
		this.prefix = isolation.queueNamePrefix() + UUID.randomUUID().toString().substring(0, 6) + "-";
		for (String queue : List.of("platform.fifo", "celery", "ctl", "pyservice")) {
			isolation.removeAfterwards(this.prefix + queue);
			isolation.removeAfterwards(this.prefix + queue + ".error");
		}
		this.javaWorker = "java-" + UUID.randomUUID().toString().substring(0, 8) + "@test";
	}

	@AfterEach
	void removeReplyExchange() throws Exception {
		try (com.rabbitmq.client.Connection connection = this.rabbit.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			channel.exchangeDelete("reply." + this.namespace + ".pidbox");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void celeryInspectPingRegisteredAndActiveListTheJavaWorker() {
		PythonCelery python = PythonCelery.assumeInstalled();
		CeleryTopology topology = CeleryTopology.of(this.rabbit, this.exchange, this.prefix, "ctl").withoutDeclaring();
		worker().withPropertyValues("celeriac.worker.concurrency=1").run((worker) -> {
			ControlTasks tasks = worker.getBean(ControlTasks.class);
			Map<String, Object> ping = inspect(python, topology, "ping");
			assertThat(ping).containsOnlyKeys(this.javaWorker);
			assertThat(ping.get(this.javaWorker)).isEqualTo(Map.of("ok", "pong"));

			// what an operator reads
			List<String> printed = python.celery(topology, this.namespace, WAIT, "inspect", "ping", "--timeout", "10",
					"--destination", this.javaWorker);
			assertThat(String.join("\n", printed)).contains("->  " + this.javaWorker + ": OK", "pong", "1 node online");

			@SuppressWarnings("unchecked")
			Map<String, Object> stats = (Map<String, Object>) inspect(python, topology, "stats").get(this.javaWorker);
			assertThat(stats).containsKeys("total", "pid", "pool", "broker", "prefetch_count");
			assertThat((Map<String, Object>) stats.get("broker")).doesNotContainKey("password");

			Map<String, Object> registered = inspect(python, topology, "registered");
			assertThat(registered.get(this.javaWorker)).isEqualTo(List.of("ctl.add", "ctl.block"));

			String id = python.sendTask(topology, "ctl.block", List.of("inspected"));
			await().atMost(WAIT).until(() -> tasks.started().contains("block inspected"));
			Map<String, Object> active = inspect(python, topology, "active");
			assertThat(active).containsOnlyKeys(this.javaWorker);
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> requests = (List<Map<String, Object>>) active.get(this.javaWorker);
			assertThat(requests).hasSize(1);
			assertThat(requests.get(0)).containsEntry("id", id)
				.containsEntry("name", "ctl.block")
				.containsEntry("args", List.of("inspected"))
				.containsEntry("hostname", this.javaWorker)
				.containsKey("time_start");

			Map<String, Object> queues = inspect(python, topology, "active_queues");
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> consumed = (List<Map<String, Object>>) queues.get(this.javaWorker);
			assertThat(consumed).extracting((queue) -> queue.get("name")).containsExactly(this.prefix + "ctl");

			python.revoke(topology, this.namespace, id, true);
			await().atMost(WAIT).until(() -> tasks.interrupted().contains("inspected"));
		});
	}

	@Test
	void pythonRevokeStopsAQueuedJavaTaskAndTerminateInterruptsARunningOne() {
		PythonCelery python = PythonCelery.assumeInstalled();
		CeleryTopology topology = CeleryTopology.of(this.rabbit, this.exchange, this.prefix, "ctl").withoutDeclaring();
		worker().withPropertyValues("celeriac.worker.concurrency=1").run((worker) -> {
			ControlTasks tasks = worker.getBean(ControlTasks.class);
			ResultStore results = worker.getBean(ResultStore.class);
			String running = python.sendTask(topology, "ctl.block", List.of("running"));
			await().atMost(WAIT).until(() -> tasks.started().contains("block running"));
			// the only consumer is busy: this one waits its turn
			String queued = python.sendTask(topology, "ctl.add", List.of(20, 22));

			python.revoke(topology, this.namespace, queued, false);
			await().atMost(WAIT).until(() -> worker.getBean(Revocations.class).isRevoked(queued));
			python.revoke(topology, this.namespace, running, true);

			await().atMost(WAIT).until(() -> state(results, running) == TaskState.REVOKED);
			assertThat(tasks.interrupted()).containsExactly("running");
			assertThat(results.find(running).orElseThrow().failure().message()).isEqualTo("terminated");
			await().atMost(WAIT).until(() -> state(results, queued) == TaskState.REVOKED);
			assertThat(results.find(queued).orElseThrow().failure().message()).isEqualTo("revoked");
			assertThat(tasks.started()).containsExactly("block running");

			// the worker goes on with the next task
			String next = python.sendTask(topology, "ctl.add", List.of(1, 2));
			await().atMost(WAIT).until(() -> state(results, next) == TaskState.SUCCESS);
		});
	}

	@Test
	void aRevokedIdOutlivesARestartOfTheWorker() {
		// the store stands for Redis or the result database, which outlive the worker
		// (their own contract tests show that they keep what they were given)
		String revoked = UUID.randomUUID().toString();
		ApplicationContextRunner sharedStore = worker().withBean(RevokedTaskStore.class, () -> SHARED);
		sharedStore.run((first) -> {
			first.getBean(WorkerControl.class).revoke(revoked, false);
			await().atMost(WAIT).until(() -> first.getBean(Revocations.class).isRevoked(revoked));
		});
		sharedStore.run((restarted) -> {
			ResultStore results = restarted.getBean(ResultStore.class);
			restarted.getBean(TaskClient.class)
				.send("ctl.add", List.of(1, 1), Map.of(), TaskOptions.defaults().withTaskId(revoked));
			await().atMost(WAIT).until(() -> state(results, revoked) == TaskState.REVOKED);
			assertThat(restarted.getBean(ControlTasks.class).started()).isEmpty();
		});
	}

	@Test
	void javaWorkerControlReachesAPythonWorkerAndAJavaWorker() {
		PythonCelery python = PythonCelery.assumeInstalled();
		CeleryTopology topology = CeleryTopology.of(this.rabbit, this.exchange, this.prefix, "pyservice");
		try (PythonCeleryWorker pythonWorker = python.startWorkerWithRemoteControl(topology, this.namespace)) {
			String pythonName = pythonWorker.hostname();
			worker().run((worker) -> {
				WorkerControl control = worker.getBean(WorkerControl.class);
				Map<String, Map<String, Object>> pongs = control.inspect(List.of(pythonName, this.javaWorker), WAIT)
					.ping();
				assertThat(pongs).containsOnlyKeys(pythonName, this.javaWorker);
				assertThat(pongs.get(pythonName)).isEqualTo(Map.of("ok", "pong"));
				assertThat(pongs.get(this.javaWorker)).isEqualTo(Map.of("ok", "pong"));
				Map<String, List<String>> registered = control.inspect(List.of(pythonName), WAIT).registered();
				assertThat(registered.get(pythonName)).contains("pyservice.multiply");
			});
		}
	}

	private static final RevokedTaskStore SHARED = new InMemoryRevokedTaskStore(RevokedTaskStore.Limits.CELERY);

	private static TaskState state(ResultStore results, String id) {
		return results.find(id).map(TaskResult::state).orElse(TaskState.PENDING);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> inspect(PythonCelery python, CeleryTopology topology, String command) {
		List<String> lines = python.celery(topology, this.namespace, WAIT, "inspect", command, "--json", "--timeout",
				"10", "--destination", this.javaWorker);
		String last = lines.stream()
			.filter((line) -> line.startsWith("{"))
			.reduce((first, second) -> second)
			.orElseThrow(() -> new AssertionError("celery inspect " + command + " printed no JSON: " + lines));
		return this.json.readValue(last, Map.class);
	}

	private ApplicationContextRunner worker() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, RabbitAutoConfiguration.class,
					CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
					WorkerAutoConfiguration.class, WorkerRegistryAutoConfiguration.class,
					ControlAutoConfiguration.class))
			.withBean(ControlTasks.class)
			.withPropertyValues("spring.rabbitmq.host=" + this.rabbit.host(),
					"spring.rabbitmq.port=" + this.rabbit.port(), "spring.rabbitmq.username=" + this.rabbit.username(),
					"spring.rabbitmq.password=" + this.rabbit.password(),
					"spring.rabbitmq.virtual-host=" + this.rabbit.virtualHost(), "celeriac.broker.type=rabbit",
					"celeriac.topology.exchange=" + this.exchange, "celeriac.topology.queue-name-prefix=" + this.prefix,
					"celeriac.worker.name=" + this.javaWorker, "celeriac.worker.shutdown-timeout=2s",
					"celeriac.control.exchange=" + this.namespace);
	}

}

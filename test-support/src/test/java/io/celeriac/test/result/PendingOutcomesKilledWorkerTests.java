package io.celeriac.test.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process killed (SIGKILL) while the outcomes of finished tasks wait for their
 * batch loses nothing: their messages were not acknowledged, so they come back, and a
 * second worker finishes every task.
 *
 * @author Celeriac team
 */
@RealServices
class PendingOutcomesKilledWorkerTests {

	private static final int TASKS = 400;

	private final RabbitTestBroker rabbit;

	private final RabbitEndpoint rabbitEndpoint;

	private final PostgresEndpoint postgres;

	private final ServiceIsolation isolation;

	private final JdbcTemplate jdbc;

	private ChildProcess worker;

	PendingOutcomesKilledWorkerTests(RabbitEndpoint rabbit, PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
		this.rabbitEndpoint = rabbit;
		this.postgres = postgres;
		this.isolation = isolation;
		this.jdbc = new JdbcTemplate(ResultDatabases.postgresql(postgres, isolation));
	}

	@AfterEach
	void cleanUp() {
		if (this.worker != null && this.worker.isAlive()) {
			this.worker.kill();
		}
		this.rabbit.close();
	}

	@Test
	void everyTaskEndsSuccessfulAfterAWorkerWithPendingOutcomesIsKilled() throws Exception {
		Topology topology = this.rabbit.newTopology("pending");
		this.rabbit.broker().declare(topology);
		String queue = topology.queueName("pending");
		CeleryProtocol protocol = new CeleryProtocol(new JsonMapper());
		BrokerTaskClient client = new BrokerTaskClient(this.rabbit.broker(), topology, new FirstSegmentTaskRouter(),
				protocol, null);
		List<CompletableFuture<TaskHandle<Object>>> sent = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			sent.add(client.sendAsync("pending.square", List.of(i), Map.of(), TaskOptions.defaults(), Object.class));
		}
		Set<String> ids = new HashSet<>();
		for (CompletableFuture<TaskHandle<Object>> future : sent) {
			ids.add(future.get(30, TimeUnit.SECONDS).id());
		}
		this.worker = ResultWorkerProcesses.start(SlowResultWorkerProcess.class, topology, this.rabbitEndpoint,
				this.postgres, this.isolation);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> ran() >= 40);
		this.worker.kill();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ResultWorkerProcesses.consumers(this.rabbitEndpoint, queue) == 0);
		int ranBeforeKill = (int) ran();
		int recordedBeforeKill = rows();
		// finished tasks whose outcome was still waiting for its batch when the process
		// died
		assertThat(recordedBeforeKill).as("outcomes recorded when killed").isLessThan(ranBeforeKill);
		BatchingResultStore store = new BatchingResultStore(
				new JdbcResultStore(ResultDatabases.postgresql(this.postgres, this.isolation),
						new CeleryResultFormat(new JsonMapper())),
				64, Duration.ofSeconds(30));
		TaskRegistry registry = new TaskRegistry();
		registry.register(new TaskMethod("pending.square", new SlowResultWorkerProcess.Tasks(),
				SlowResultWorkerProcess.Tasks.class.getMethod("square", int.class)));
		WorkerSettings settings = new WorkerSettings("second@test", List.of("pending"), 4, 16, 1 << 20, false,
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		TaskWorker second = TaskWorker
			.builder(this.rabbit.broker(), registry, protocol,
					new ErrorQueue(this.rabbit.broker(), topology, settings.name(), settings.confirmTimeout()),
					topology, new FirstSegmentTaskRouter(), settings)
			.results(store)
			.build();
		second.start();
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> successes().size() == TASKS);
			assertThat(successes()).isEqualTo(ids);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.rabbit.broker().messageCount(queue) == 0);
		}
		finally {
			second.stop();
			store.destroy();
		}
	}

	/**
	 * Counts the tasks the worker process ran: it prints {@code RAN <number>} for each.
	 */
	private long ran() {
		return this.worker.output().stream().filter((line) -> line.startsWith("RAN ")).count();
	}

	private int rows() {
		return this.jdbc.queryForObject("SELECT count(*) FROM celery_taskmeta", Integer.class);
	}

	private Set<String> successes() {
		return new HashSet<>(
				this.jdbc.queryForList("SELECT task_id FROM celery_taskmeta WHERE status = 'SUCCESS'", String.class));
	}

}

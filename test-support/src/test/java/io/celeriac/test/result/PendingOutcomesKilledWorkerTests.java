package io.celeriac.test.result;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.BatchingResultStore;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RabbitTestBroker;
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

	/**
	 * A worker whose result database takes 400 ms longer for each batch, so that finished
	 * tasks wait for their batch when it is killed.
	 */
	private static final ResultWorkerProcess.Shape SLOW = new ResultWorkerProcess.Shape("pending", null, 4, 16,
			Duration.ofMillis(400));

	private final KilledResultWorker worker;

	PendingOutcomesKilledWorkerTests(RabbitEndpoint rabbit, PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.worker = new KilledResultWorker(rabbit, postgres, isolation);
	}

	@AfterEach
	void cleanUp() {
		this.worker.close();
	}

	@Test
	void everyTaskEndsSuccessfulAfterAWorkerWithPendingOutcomesIsKilled() throws Exception {
		Topology topology = this.worker.declare("pending");
		String queue = topology.queueName("pending");
		Set<String> ids = this.worker.sendSquares(topology, "pending", TASKS);
		this.worker.start(topology, SLOW);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> this.worker.ran() >= 40);
		this.worker.kill(queue);
		int ranBeforeKill = (int) this.worker.ran();
		int recordedBeforeKill = this.worker.rows();
		// finished tasks whose outcome was still waiting for its batch when the process
		// died
		assertThat(recordedBeforeKill).as("outcomes recorded when killed").isLessThan(ranBeforeKill);
		BatchingResultStore store = new BatchingResultStore(
				new JdbcResultStore(this.worker.results(), new CeleryResultFormat(new JsonMapper())), 64,
				Duration.ofSeconds(30));
		TaskRegistry registry = new TaskRegistry();
		registry.register(ResultWorkerProcess.Tasks.square("pending"));
		WorkerSettings settings = new WorkerSettings("second@test", List.of("pending"), 4, 16, 1 << 20, false,
				Duration.ofSeconds(5), Duration.ofSeconds(5));
		RabbitTestBroker rabbit = this.worker.rabbit();
		TaskWorker second = TaskWorker
			.builder(rabbit.broker(), registry, new CeleryProtocol(new JsonMapper()),
					new ErrorQueue(rabbit.broker(), topology, settings.name(), settings.confirmTimeout()), topology,
					new FirstSegmentTaskRouter(), settings)
			.results(store)
			.build();
		second.start();
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> this.worker.successes().size() == TASKS);
			assertThat(this.worker.successes()).isEqualTo(ids);
			await().atMost(Duration.ofSeconds(30)).until(() -> rabbit.broker().messageCount(queue) == 0);
		}
		finally {
			second.stop();
			store.destroy();
		}
	}

}

package io.celeriac.test.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process killed (SIGKILL) while it writes batches of results loses none: every
 * task whose message it acknowledged has its row, and every other message is back in the
 * queue.
 *
 * @author Celeriac team
 */
@RealServices
class KilledWorkerTests {

	private static final int TASKS = 3000;

	private final RabbitTestBroker rabbit;

	private final RabbitEndpoint rabbitEndpoint;

	private final PostgresEndpoint postgres;

	private final ServiceIsolation isolation;

	private final JdbcTemplate jdbc;

	private ChildProcess worker;

	KilledWorkerTests(RabbitEndpoint rabbit, PostgresEndpoint postgres, ServiceIsolation isolation) {
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
	void everyAcknowledgedTaskHasItsRow() throws Exception {
		Topology topology = this.rabbit.newTopology("killed");
		this.rabbit.broker().declare(topology);
		String queue = topology.queueName("killed");
		BrokerTaskClient client = new BrokerTaskClient(this.rabbit.broker(), topology, new FirstSegmentTaskRouter(),
				new CeleryProtocol(new JsonMapper()), null);
		List<CompletableFuture<TaskHandle<Object>>> sent = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			sent.add(client.sendAsync("killed.square", List.of(i), Map.of(), TaskOptions.defaults(), Object.class));
		}
		Set<String> ids = new HashSet<>();
		for (CompletableFuture<TaskHandle<Object>> future : sent) {
			ids.add(future.get(30, TimeUnit.SECONDS).id());
		}
		this.worker = ResultWorkerProcesses.start(ResultWorkerProcess.class, topology, this.rabbitEndpoint,
				this.postgres, this.isolation);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> rows() >= TASKS / 10);
		this.worker.kill();
		// once the dead worker's connection is gone, its unacknowledged messages are back
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ResultWorkerProcesses.consumers(this.rabbitEndpoint, queue) == 0);
		Set<String> notAcknowledged = idsIn(queue);
		assertThat(notAcknowledged).as("killed before the end").isNotEmpty();
		Set<String> acknowledged = new HashSet<>(ids);
		acknowledged.removeAll(notAcknowledged);
		assertThat(acknowledged).isNotEmpty();
		Set<String> recorded = new HashSet<>(
				this.jdbc.queryForList("SELECT task_id FROM celery_taskmeta WHERE status = 'SUCCESS'", String.class));
		assertThat(recorded).containsAll(acknowledged);
	}

	private int rows() {
		return this.jdbc.queryForObject("SELECT count(*) FROM celery_taskmeta", Integer.class);
	}

	private Set<String> idsIn(String queue) throws Exception {
		Set<String> found = new HashSet<>();
		try (Connection connection = this.rabbitEndpoint.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			GetResponse response;
			while ((response = channel.basicGet(queue, false)) != null) {
				found.add(String.valueOf(response.getProps().getHeaders().get("id")));
			}
		}
		return found;
	}

}

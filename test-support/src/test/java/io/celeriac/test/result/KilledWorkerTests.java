package io.celeriac.test.result;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

	private final RabbitEndpoint rabbitEndpoint;

	private final KilledResultWorker worker;

	KilledWorkerTests(RabbitEndpoint rabbit, PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.rabbitEndpoint = rabbit;
		this.worker = new KilledResultWorker(rabbit, postgres, isolation);
	}

	@AfterEach
	void cleanUp() {
		this.worker.close();
	}

	@Test
	void everyAcknowledgedTaskHasItsRow() throws Exception {
		Topology topology = this.worker.declare("killed");
		String queue = topology.queueName("killed");
		Set<String> ids = this.worker.sendSquares(topology, "killed", TASKS);
		this.worker.start(topology, new ResultWorkerProcess.Shape("killed", "platform.fifo", 8, 32, Duration.ZERO));
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.worker.rows() >= TASKS / 10);
		// once the dead worker's connection is gone, its unacknowledged messages are back
		this.worker.kill(queue);
		Set<String> notAcknowledged = idsIn(queue);
		assertThat(notAcknowledged).as("killed before the end").isNotEmpty();
		Set<String> acknowledged = new HashSet<>(ids);
		acknowledged.removeAll(notAcknowledged);
		assertThat(acknowledged).isNotEmpty();
		assertThat(this.worker.successes()).containsAll(acknowledged);
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

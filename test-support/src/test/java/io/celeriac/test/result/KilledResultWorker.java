package io.celeriac.test.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.process.ChildProcess;
import io.celeriac.test.process.JavaProcess;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * What the tests that kill a worker JVM (SIGKILL) while it writes results share: the
 * RabbitMQ topology and the PostgreSQL result schema of the test class, the tasks sent,
 * the {@link ResultWorkerProcess} started and killed, and the rows it left.
 *
 * @author Celeriac team
 */
final class KilledResultWorker implements AutoCloseable {

	private static final Duration STARTUP = Duration.ofSeconds(60);

	private final RabbitTestBroker rabbit;

	private final RabbitEndpoint rabbitEndpoint;

	private final PostgresEndpoint postgres;

	private final ServiceIsolation isolation;

	private final DataSource results;

	private final JdbcTemplate jdbc;

	private @Nullable ChildProcess process;

	KilledResultWorker(RabbitEndpoint rabbit, PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
		this.rabbitEndpoint = rabbit;
		this.postgres = postgres;
		this.isolation = isolation;
		this.results = ResultDatabases.postgresql(postgres, isolation);
		this.jdbc = new JdbcTemplate(this.results);
	}

	RabbitTestBroker rabbit() {
		return this.rabbit;
	}

	/**
	 * Returns the result schema the worker writes to.
	 * @return its data source
	 */
	DataSource results() {
		return this.results;
	}

	/**
	 * Declares a topology of the test's own with one service.
	 * @param service the service
	 * @return the topology
	 */
	Topology declare(String service) {
		Topology topology = this.rabbit.newTopology(service);
		this.rabbit.broker().declare(topology);
		return topology;
	}

	/**
	 * Sends {@code <service>.square} tasks for 0 to {@code count - 1}.
	 * @param topology the topology
	 * @param service the service
	 * @param count how many
	 * @return the ids of the tasks sent, once each is confirmed
	 * @throws Exception if one is not confirmed
	 */
	Set<String> sendSquares(Topology topology, String service, int count) throws Exception {
		BrokerTaskClient client = new BrokerTaskClient(this.rabbit.broker(), topology, new FirstSegmentTaskRouter(),
				new CeleryProtocol(new JsonMapper()), null);
		List<CompletableFuture<TaskHandle<Object>>> sent = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			sent.add(client.sendAsync(service + ".square", List.of(i), Map.of(), TaskOptions.defaults(), Object.class));
		}
		Set<String> ids = new HashSet<>();
		for (CompletableFuture<TaskHandle<Object>> future : sent) {
			ids.add(future.get(30, TimeUnit.SECONDS).id());
		}
		return ids;
	}

	/**
	 * Starts the worker JVM and waits until it consumes.
	 * @param topology the topology it consumes, declared
	 * @param shape what it consumes and how
	 */
	void start(Topology topology, ResultWorkerProcess.Shape shape) {
		List<String> arguments = new ArrayList<>(
				List.of(this.rabbitEndpoint.host(), String.valueOf(this.rabbitEndpoint.port()),
						this.rabbitEndpoint.username(), this.rabbitEndpoint.password(),
						this.rabbitEndpoint.virtualHost(), topology.exchange(), topology.queueNamePrefix(),
						this.isolation.jdbcUrl(), this.postgres.username(), this.postgres.password()));
		arguments.addAll(shape.arguments());
		ChildProcess started = JavaProcess.of(ResultWorkerProcess.class)
			.arguments(arguments.toArray(String[]::new))
			.start();
		this.process = started;
		started.awaitLine("READY", STARTUP);
	}

	/**
	 * Counts the tasks the worker ran: it prints {@code RAN <number>} for each.
	 * @return how many it ran
	 */
	long ran() {
		return process().output().stream().filter((line) -> line.startsWith("RAN ")).count();
	}

	/**
	 * Kills the worker with SIGKILL and waits until RabbitMQ has closed its connection,
	 * so that its unacknowledged messages are back in the queue.
	 * @param queue the queue it consumed
	 */
	void kill(String queue) {
		process().kill();
		await().atMost(Duration.ofSeconds(30)).until(() -> consumers(queue) == 0);
	}

	int rows() {
		return this.jdbc.queryForObject("SELECT count(*) FROM celery_taskmeta", Integer.class);
	}

	Set<String> successes() {
		return new HashSet<>(
				this.jdbc.queryForList("SELECT task_id FROM celery_taskmeta WHERE status = 'SUCCESS'", String.class));
	}

	private long consumers(String queue) throws Exception {
		try (Connection connection = this.rabbitEndpoint.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getConsumerCount();
		}
	}

	private ChildProcess process() {
		if (this.process == null) {
			throw new IllegalStateException("No worker was started");
		}
		return this.process;
	}

	@Override
	public void close() {
		if (this.process != null && this.process.isAlive()) {
			this.process.kill();
		}
		this.rabbit.close();
	}

}

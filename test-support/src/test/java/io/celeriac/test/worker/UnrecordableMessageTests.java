package io.celeriac.test.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.worker.RabbitDeliveryLimitTests.CountingTasks;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages whose headers Celery's result table cannot hold, on a real RabbitMQ with the
 * results in PostgreSQL: each goes to the error queue with the reason before the worker
 * records anything (recording it would fail on every delivery, and the message would go
 * round for ever), and the worker goes on with the next message.
 *
 * @author Celeriac team
 */
@RealServices
class UnrecordableMessageTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final RabbitTestBroker rabbit;

	private final JdbcResultStore results;

	private final CountingTasks tasks = new CountingTasks();

	private final Topology topology;

	private @Nullable TaskWorker worker;

	UnrecordableMessageTests(RabbitEndpoint rabbit, PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
		DataSource dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(),
				postgres.password());
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"))
			.execute(dataSource);
		this.results = new JdbcResultStore(dataSource, new CeleryResultFormat(new JsonMapper()));
		this.topology = this.rabbit.newTopology("sample");
	}

	@BeforeEach
	void startWorker() throws NoSuchMethodException {
		broker().declare(this.topology);
		TaskRegistry registry = new TaskRegistry();
		registry.register(
				new TaskMethod("sample.add", this.tasks, CountingTasks.class.getMethod("add", int.class, int.class)));
		registry.register(new TaskMethod("sample.nul", new NulTasks(), NulTasks.class.getMethod("nul")));
		// tracking STARTED records before the task runs, as early as a worker records
		WorkerSettings settings = new WorkerSettings("unrecordable@test", List.of("sample"), 1, 1, 1 << 20, true,
				Duration.ofSeconds(5), Duration.ofSeconds(10), 0);
		this.worker = new TaskWorker(broker(), registry, new CeleryProtocol(JsonMapper.builder().build()), this.results,
				new ErrorQueue(broker(), this.topology, settings.name(), settings.confirmTimeout()), this.topology,
				new FirstSegmentTaskRouter(), settings);
		this.worker.start();
	}

	@AfterEach
	void stop() {
		if (this.worker != null) {
			this.worker.stop();
		}
		this.rabbit.close();
	}

	@Test
	void aTaskIdLongerThanTheResultTableHoldsGoesToTheErrorQueue() {
		String id = "x".repeat(156);
		assertMovedAndTheNextRuns(SampleTaskMessages.add((headers) -> headers.put("id", id)),
				"its id has 156 characters");
	}

	@Test
	void aTaskNameLongerThanTheResultTableHoldsGoesToTheErrorQueue() {
		// not registered either: the worker would record NotRegistered under the id
		String name = "sample." + "n".repeat(200);
		WireMessage message = SampleTaskMessages.add((headers) -> headers.put("task", name));
		assertMovedAndTheNextRuns(message, "its task has 207 characters");
		assertThat(this.results.find(message.correlationId())).isEmpty();
	}

	@Test
	void anOversizedEtaGoesToTheErrorQueue() {
		WireMessage message = SampleTaskMessages
			.add((headers) -> headers.put("eta", "2026-12-07T09:00:00" + "0".repeat(60)));
		assertMovedAndTheNextRuns(message, "its eta has 79 characters");
		assertThat(this.results.find(message.correlationId())).isEmpty();
	}

	@Test
	void anOversizedExpiresGoesToTheErrorQueue() {
		WireMessage message = SampleTaskMessages
			.add((headers) -> headers.put("expires", "2099-12-07T09:00:00" + "0".repeat(60)));
		assertMovedAndTheNextRuns(message, "its expires has 79 characters");
		assertThat(this.results.find(message.correlationId())).isEmpty();
	}

	@Test
	void anOversizedOriginGoesToTheErrorQueue() {
		WireMessage message = SampleTaskMessages.add((headers) -> headers.put("origin", "gen1@" + "h".repeat(300)));
		assertMovedAndTheNextRuns(message, "its origin has 305 characters");
		assertThat(this.results.find(message.correlationId())).isEmpty();
	}

	@Test
	void aTaskIdWithANulCharacterGoesToTheErrorQueue() {
		String id = "nul\0" + UUID.randomUUID();
		assertMovedAndTheNextRuns(SampleTaskMessages.add((headers) -> headers.put("id", id)),
				"its id holds a NUL character");
	}

	@Test
	void aFailureWithANulCharacterIsRecordedAndTheMessageGoesToTheErrorQueue() {
		WireMessage nul = SampleTaskMessages.add((headers) -> headers.put("task", "sample.nul"));
		// the body [[2, 3], ...] does not fit nul(): send one without arguments
		WireMessage message = new WireMessage("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), nul.contentType(),
				nul.contentEncoding(), nul.headers(), nul.correlationId(), null, 0, true, null);
		broker().publish(this.topology.exchange(), "sample", message).join();
		WireMessage good = SampleTaskMessages.add();
		broker().publish(this.topology.exchange(), "sample", good).join();
		String errorQueue = this.topology.errorQueueName(this.topology.queueName("sample"));
		Delivery[] moved = new Delivery[1];
		await().atMost(WAIT).until(() -> (moved[0] = broker().get(errorQueue)) != null);
		assertThat(moved[0].message().headers().get(ErrorHeaders.KIND)).hasToString(ErrorKind.TASK_FAILED.name());
		moved[0].ack();
		TaskResult failed = this.results.find(message.correlationId()).orElseThrow();
		assertThat(failed.state()).isEqualTo(TaskState.FAILURE);
		assertThat(failed.failure().traceback()).contains("bad\\x00byte");
		await().atMost(WAIT).until(() -> this.results.find(good.correlationId()).isPresent());
		assertThat(this.tasks.runs).hasValue(1);
	}

	/**
	 * Sends the message, then a good one: the first lands in the error queue with the
	 * reason, unrun and unrecorded; the second runs and is recorded.
	 */
	private void assertMovedAndTheNextRuns(WireMessage bad, String reason) {
		broker().publish(this.topology.exchange(), "sample", bad).join();
		WireMessage good = SampleTaskMessages.add();
		broker().publish(this.topology.exchange(), "sample", good).join();
		String errorQueue = this.topology.errorQueueName(this.topology.queueName("sample"));
		Delivery[] moved = new Delivery[1];
		await().atMost(WAIT).until(() -> (moved[0] = broker().get(errorQueue)) != null);
		Map<String, @Nullable Object> headers = moved[0].message().headers();
		assertThat(headers.get(ErrorHeaders.KIND)).hasToString(ErrorKind.UNRECORDABLE_HEADER.name());
		assertThat(String.valueOf(headers.get(ErrorHeaders.REASON))).startsWith("The message cannot be recorded")
			.contains(reason);
		assertThat(moved[0].message().body()).isEqualTo(bad.body());
		moved[0].ack();
		await().atMost(WAIT).until(() -> this.results.find(good.correlationId()).isPresent());
		assertThat(this.results.find(good.correlationId()).orElseThrow().state()).isEqualTo(TaskState.SUCCESS);
		assertThat(this.tasks.runs).hasValue(1);
		// nothing went back to the queue to go round again
		assertThat(broker().messageCount(this.topology.queueName("sample"))).isZero();
		assertThat(broker().messageCount(errorQueue)).isZero();
	}

	private RabbitBroker broker() {
		return this.rabbit.broker();
	}

	/**
	 * A task that fails with a NUL character in its message.
	 */
	public static class NulTasks {

		public int nul() {
			throw new IllegalStateException("bad\0byte");
		}

	}

}

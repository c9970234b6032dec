package io.celeriac.test.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.celeriac.broker.ConsumerBackoff;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.monitor.TaskCursor;
import io.celeriac.monitor.TaskMonitor;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.worker.SampleTaskMessages;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task monitor on RabbitMQ with its task table in PostgreSQL, when it cannot record:
 * a store that fails is retried after growing pauses, not in a hot loop, and loses
 * nothing; a message that can never be recorded goes to the monitor queue's error queue
 * with the reason, without being tried, and can be requeued to the monitor queue alone.
 *
 * @author Celeriac team
 */
@RealServices
class MonitorErrorQueueTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final RabbitTestBroker rabbit;

	private final FailingStore store;

	private final Topology topology;

	private final CeleryProtocol protocol = new CeleryProtocol(new JsonMapper());

	private final TaskMonitor monitor;

	MonitorErrorQueueTests(RabbitEndpoint rabbit, PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
		DataSource dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(),
				postgres.password());
		new ResourceDatabasePopulator(new ClassPathResource("io/celeriac/monitor/jdbc/schema-postgresql.sql"))
			.execute(dataSource);
		this.store = new FailingStore(new JdbcTaskRecordStore(dataSource, new JsonMapper()));
		this.topology = this.rabbit.newTopology("reports", "sample");
		this.rabbit.broker().declare(this.topology);
		this.monitor = new TaskMonitor(this.rabbit.broker(), this.topology, this.protocol, this.store,
				new ConsumerSettings(1, 1), Duration.ofSeconds(5), Duration.ofSeconds(10),
				new ConsumerBackoff(Duration.ofMillis(100), Duration.ofSeconds(30)));
	}

	@AfterEach
	void stop() {
		this.monitor.stop();
		this.rabbit.close();
	}

	@Test
	void aFailingStoreIsRetriedWithGrowingPausesAndTheTaskIsRecordedOnceItRecovers() {
		this.store.failing.set(true);
		this.monitor.start();
		TaskHandle<Object> task = client().send("reports.generate", List.of(1), Map.of(), TaskOptions.defaults(),
				Object.class);
		await().atMost(WAIT).until(() -> this.store.attempts.get() >= 2);
		// pauses of 0.1, 0.2, 0.4, 0.8, 1.6 s...: about six attempts in three seconds
		// where a hot loop makes hundreds
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> this.store.attempts.get() <= 8);
		assertThat(this.store.find(task.id())).isEmpty();
		this.store.failing.set(false);
		await().atMost(Duration.ofSeconds(30)).until(() -> this.store.find(task.id()).isPresent());
		assertThat(this.rabbit.broker().messageCount(this.topology.monitorErrorQueueName())).isZero();
	}

	@Test
	void aMessageThatCannotBeRecordedGoesToTheMonitorsErrorQueueWithoutBeingTried() {
		this.monitor.start();
		String longId = "x".repeat(156);
		WireMessage tooLong = SampleTaskMessages.add((headers) -> headers.put("id", longId));
		WireMessage notATask = new WireMessage("not json".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8",
				Map.of("id", "broken", "task", "sample.add"), "broken", null, 0, true, null);
		this.rabbit.broker().publish(this.topology.exchange(), "sample", tooLong).join();
		this.rabbit.broker().publish(this.topology.exchange(), "sample", notATask).join();
		TaskHandle<Object> good = client().send("reports.generate", List.of(2), Map.of(), TaskOptions.defaults(),
				Object.class);
		await().atMost(WAIT).until(() -> this.store.find(good.id()).isPresent());
		String errorQueue = this.topology.monitorErrorQueueName();
		await().atMost(WAIT).until(() -> this.rabbit.broker().messageCount(errorQueue) == 2);
		// only the good one was tried
		assertThat(this.store.attempts).hasValue(1);
		ErrorQueueService errors = new ErrorQueueService(this.rabbit.broker(), this.topology, Duration.ofSeconds(10));
		assertThat(errors.list(errorQueue, 10)).satisfiesExactlyInAnyOrder((moved) -> {
			assertThat(moved.taskId()).isEqualTo(longId);
			assertThat(moved.kind()).isEqualTo(ErrorKind.UNRECORDABLE_HEADER.name());
			assertThat(moved.reason()).contains("its id has 156 characters");
		}, (moved) -> {
			assertThat(moved.taskId()).isEqualTo("broken");
			assertThat(moved.kind()).isEqualTo(ErrorKind.BODY_NOT_JSON.name());
		});
		await().atMost(WAIT).until(() -> this.rabbit.broker().messageCount(errorQueue) == 2);
		// requeued, it goes back to the monitor queue alone, not to the service's queue
		this.monitor.stop();
		String sampleQueue = this.topology.queueName("sample");
		long inSample = this.rabbit.broker().messageCount(sampleQueue);
		assertThat(errors.requeue(errorQueue, List.of(longId))).isOne();
		await().atMost(WAIT).until(() -> this.rabbit.broker().messageCount(this.topology.monitorQueueName()) == 1);
		Delivery requeued = this.rabbit.broker().get(this.topology.monitorQueueName());
		assertThat(requeued).isNotNull();
		assertThat(requeued.message().correlationId()).isEqualTo(longId);
		assertThat(requeued.message().headers()).doesNotContainKey(ErrorHeaders.KIND);
		requeued.ack();
		assertThat(this.rabbit.broker().messageCount(sampleQueue)).isEqualTo(inSample);
	}

	private BrokerTaskClient client() {
		return new BrokerTaskClient(this.rabbit.broker(), this.topology, new FirstSegmentTaskRouter(), this.protocol,
				null);
	}

	/**
	 * A task table that fails while told to, and counts the records tried.
	 */
	static final class FailingStore implements TaskRecordStore {

		final AtomicBoolean failing = new AtomicBoolean();

		final AtomicInteger attempts = new AtomicInteger();

		private final TaskRecordStore store;

		FailingStore(TaskRecordStore store) {
			this.store = store;
		}

		@Override
		public void save(TaskRecord record) {
			this.attempts.incrementAndGet();
			if (this.failing.get()) {
				throw new IllegalStateException("The task table is down (in the test)");
			}
			this.store.save(record);
		}

		@Override
		public Optional<TaskRecord> find(String taskId) {
			return this.store.find(taskId);
		}

		@Override
		public List<TaskRecord> recent(int limit) {
			return this.store.recent(limit);
		}

		@Override
		public List<TaskRecord> search(@Nullable String name, @Nullable Instant seenFrom, @Nullable Instant seenTo,
				@Nullable TaskCursor after, int limit) {
			return this.store.search(name, seenFrom, seenTo, after, limit);
		}

		@Override
		public List<TaskRecord> children(String parentId, int limit) {
			return this.store.children(parentId, limit);
		}

	}

}

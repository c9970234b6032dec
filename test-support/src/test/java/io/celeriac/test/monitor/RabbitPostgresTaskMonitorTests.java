package io.celeriac.test.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.celeriac.broker.ConsumerSettings;
import io.celeriac.monitor.TaskMonitor;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.monitor.jdbc.JdbcTaskRecordStore;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.CeleryResultFormat;
import io.celeriac.result.TaskResult;
import io.celeriac.result.TaskState;
import io.celeriac.result.jdbc.JdbcResultStore;
import io.celeriac.task.BrokerTaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.broker.RabbitTestBroker;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.FirstSegmentTaskRouter;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task record store contract on PostgreSQL, and the monitor on RabbitMQ: every task
 * sent on the exchange, whatever its service, is recorded from the monitor queue; a
 * result may be recorded before its task.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitPostgresTaskMonitorTests extends TaskRecordStoreContractTests {

	private final RabbitTestBroker rabbit;

	private final DataSource dataSource;

	private final JdbcTaskRecordStore store;

	private TaskMonitor monitor;

	RabbitPostgresTaskMonitorTests(RabbitEndpoint rabbit, PostgresEndpoint postgres, ServiceIsolation isolation) {
		this.rabbit = new RabbitTestBroker(rabbit, isolation);
		this.dataSource = new DriverManagerDataSource(isolation.jdbcUrl(), postgres.username(), postgres.password());
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ClassPathResource("io/celeriac/monitor/jdbc/schema-postgresql.sql"),
				new ClassPathResource("io/celeriac/result/jdbc/schema-postgresql.sql"));
		populator.execute(this.dataSource);
		this.store = new JdbcTaskRecordStore(this.dataSource, new JsonMapper());
	}

	@AfterEach
	void stop() {
		if (this.monitor != null) {
			this.monitor.stop();
		}
		this.rabbit.close();
	}

	@Override
	protected TaskRecordStore store() {
		return this.store;
	}

	@Test
	void everyTaskSentIsRecordedFromTheMonitorQueue() {
		Topology topology = this.rabbit.newTopology("reports", "exports");
		this.rabbit.broker().declare(topology);
		CeleryProtocol protocol = new CeleryProtocol(new JsonMapper());
		this.monitor = new TaskMonitor(this.rabbit.broker(), topology, protocol, this.store,
				new ConsumerSettings(2, 10), Duration.ofSeconds(5));
		this.monitor.start();
		BrokerTaskClient client = new BrokerTaskClient(this.rabbit.broker(), topology, new FirstSegmentTaskRouter(),
				protocol, null);
		TaskHandle<Object> report = client.send("reports.generate", List.of(42), Map.of("fmt", "csv"),
				TaskOptions.defaults(), Object.class);
		TaskHandle<Object> export = client.send("exports.run", List.of(), Map.of(), TaskOptions.defaults(),
				Object.class);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.store.find(report.id()).isPresent() && this.store.find(export.id()).isPresent());
		TaskRecord recorded = this.store.find(report.id()).orElseThrow();
		assertThat(recorded.name()).isEqualTo("reports.generate");
		assertThat(recorded.routingKey()).isEqualTo("reports");
		assertThat(recorded.args().toString()).isEqualTo("[42]");
		assertThat(recorded.kwargs().get("fmt").asString()).isEqualTo("csv");
		assertThat(recorded.rootId()).isEqualTo(report.id());
		assertThat(recorded.origin()).isNotBlank();
		assertThat(this.store.find(export.id()).orElseThrow().routingKey()).isEqualTo("exports");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.rabbit.broker().messageCount(topology.monitorQueueName()) == 0);
	}

	@Test
	void aResultMayBeRecordedBeforeItsTask() {
		JdbcResultStore results = new JdbcResultStore(this.dataSource, new CeleryResultFormat(new JsonMapper()));
		String id = UUID.randomUUID().toString();
		results.save(new TaskResult(id, TaskState.SUCCESS, null, null, "reports.generate", null, null, "w", 0,
				"reports", Instant.now()));
		this.store.save(record(id, "reports.generate"));
		assertThat(this.store.find(id)).isPresent();
		assertThat(results.find(id)).isPresent();
	}

}

package io.celeriac.autoconfigure.task;

import java.time.Duration;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.autoconfigure.monitor.MonitorAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.monitor.TaskRecord;
import io.celeriac.monitor.TaskRecordStore;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.worker.TaskWorker;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskAutoConfiguration} with {@code celeriac.broker.type=sqs}: the SQS
 * broker on an SDK client built from {@code celeriac.broker.sqs.*}, end to end on
 * ElasticMQ inside the test JVM.
 *
 * @author Celeriac team
 */
@RealServices
class SqsBrokerAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner;

	private final ServiceIsolation isolation;

	SqsBrokerAutoConfigurationTests(SqsEndpoint sqs, ServiceIsolation isolation) {
		this.isolation = isolation;
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
					ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class))
			// the SDK's default credentials chain reads these system properties
			.withSystemProperties("aws.accessKeyId=" + sqs.accessKeyId(),
					"aws.secretAccessKey=" + sqs.secretAccessKey())
			.withPropertyValues("celeriac.broker.type=sqs", "celeriac.broker.sqs.region=" + sqs.region(),
					"celeriac.broker.sqs.endpoint=" + sqs.url(), "celeriac.broker.sqs.wait-time=1s",
					"celeriac.topology.queue-name-prefix=" + isolation.queueNamePrefix());
	}

	@Test
	void aTaskRunsOnTheSqsBroker() {
		this.contextRunner.withUserConfiguration(TaskAutoConfigurationTests.ReportTasksConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(Broker.class).isInstanceOf(SqsBroker.class);
				assertThat(context).hasSingleBean(SqsClient.class);
				assertThat(context).hasSingleBean(TaskWorker.class);
				TaskAutoConfigurationTests.ReportTasks reports = context
					.getBean(TaskAutoConfigurationTests.ReportTasks.class);
				TaskHandle<String> handle = reports.generate(5, "csv");
				assertThat(handle.await(WAIT)).isEqualTo("report 5 as csv");
				assertThat(reports.threads()).singleElement()
					.asString()
					.startsWith("celeriac-sqs-" + this.isolation.queueNamePrefix() + "reports");
			});
	}

	@Test
	void aDeferrableTaskLandsInItsServiceQueueAndTheMonitorQueueWhichRecordsIt() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(MonitorAutoConfiguration.class))
			.withUserConfiguration(TaskAutoConfigurationTests.ReportTasksConfiguration.class)
			// no worker: the task stays in its service queue for the test to find
			.withPropertyValues("celeriac.worker.enabled=false", "celeriac.monitor.enabled=true",
					"celeriac.result.type=memory")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SqsBroker broker = context.getBean(SqsBroker.class);
				TaskRecordStore records = context.getBean(TaskRecordStore.class);
				TaskHandle<String> handle = context.getBean(TaskAutoConfigurationTests.ReportTasks.class)
					.generate(7, "pdf");
				await().atMost(WAIT).until(() -> records.find(handle.id()).isPresent());
				TaskRecord recorded = records.find(handle.id()).orElseThrow();
				assertThat(recorded.name()).isEqualTo("reports.generate");
				assertThat(recorded.routingKey()).isEqualTo("reports");
				String serviceQueue = this.isolation.queueNamePrefix() + "reports";
				Delivery[] found = new Delivery[1];
				await().atMost(WAIT).until(() -> (found[0] = broker.get(serviceQueue)) != null);
				assertThat(found[0].message().headers()).containsEntry("id", handle.id())
					.containsEntry("task", "reports.generate");
				found[0].ack();
				String monitorQueue = this.isolation.queueNamePrefix() + "platform.fifo";
				await().atMost(WAIT).until(() -> broker.stats(monitorQueue).equals(QueueStats.EMPTY));
			});
	}

	@Test
	void theVisibilityTimeoutIsConfigurable() {
		this.contextRunner.withPropertyValues("celeriac.broker.visibility-timeout=45s")
			.run((context) -> assertThat(context.getBean(SqsBroker.class).visibilityTimeout())
				.isEqualTo(Duration.ofSeconds(45)));
	}

	@Test
	void aUserBrokerWins() {
		InMemoryBroker broker = new InMemoryBroker();
		this.contextRunner.withBean(Broker.class, () -> broker)
			.run((context) -> assertThat(context).getBean(Broker.class).isSameAs(broker));
	}

	@Test
	void aUserSqsClientWins() {
		SqsClient client = SqsClient.builder()
			.region(software.amazon.awssdk.regions.Region.US_EAST_1)
			.endpointOverride(java.net.URI.create("http://127.0.0.1:1"))
			.build();
		this.contextRunner.withBean(SqsClient.class, () -> client)
			.withPropertyValues("celeriac.topology.declare=false", "celeriac.worker.enabled=false")
			.run((context) -> assertThat(context).getBean(SqsClient.class).isSameAs(client));
	}

	@Test
	void withoutTheAwsSdkTheSqsBrokerBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SqsClient.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(Broker.class);
			assertThat(context).doesNotHaveBean(TaskClient.class);
		});
	}

}

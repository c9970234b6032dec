package io.celeriac.autoconfigure.task;

import java.time.Duration;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.broker.sqs.SqsBroker;
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

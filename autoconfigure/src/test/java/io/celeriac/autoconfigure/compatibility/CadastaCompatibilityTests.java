package io.celeriac.autoconfigure.compatibility;

import java.time.Duration;

import io.celeriac.autoconfigure.BrokerType;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultProperties;
import io.celeriac.autoconfigure.task.BrokerProperties;
import io.celeriac.autoconfigure.task.TopologyProperties;
import io.celeriac.autoconfigure.workflow.WorkflowProperties;
import io.celeriac.autoconfigure.ResultStoreType;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskHandle;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.Topology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code celeriac.compatibility=cadasta}: cadasta-workertoolbox's settings,
 * read back from the bound properties of each capability and the {@link Topology}, and
 * the application's own properties winning over them.
 *
 * @author Celeriac team
 */
@RealServices
class CadastaCompatibilityTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withInitializer((context) -> new CompatibilityEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
		.withConfiguration(AutoConfigurations.of(CeleriacAutoConfiguration.class))
		.withUserConfiguration(BoundProperties.class);

	@Test
	void theSwitchAppliesCadastasSettings() {
		this.contextRunner
			.withPropertyValues("celeriac.compatibility=cadasta", "QUEUE_PREFIX=staging", "RESULT_DB_USER=worker",
					"RESULT_DB_PASS=s3cret", "RESULT_DB_HOST=db.example", "RESULT_DB_PORT=6543",
					"RESULT_DB_NAME=platform", "CHORD_UNLOCK_MAX_RETRIES=100")
			.run((context) -> {
				assertThat(context.getBean(CompatibilityProperties.class).getCompatibility())
					.isEqualTo(Compatibility.CADASTA);
				assertThat(context.getBean(BrokerProperties.class).getType()).isEqualTo(BrokerType.SQS);
				assertThat(context.getBean(BrokerProperties.class).getSqs().getRegion()).isEqualTo("us-west-2");
				assertThat(context.getBean(TopologyProperties.class).getQueueNamePrefix()).isEqualTo("staging-");
				assertThat(context.getBean(TopologyProperties.class).getExchange()).isEqualTo("task_exchange");
				assertThat(context.getBean(TopologyProperties.class).getExchangeType()).isEqualTo(ExchangeType.TOPIC);
				assertThat(context.getBean(TopologyProperties.class).getMonitorQueue()).isEqualTo("platform.fifo");
				assertThat(context.getBean(ResultProperties.class).getType()).isEqualTo(ResultStoreType.JDBC);
				assertThat(context.getBean(ResultProperties.class).getDatasource().getUrl())
					.isEqualTo("jdbc:postgresql://db.example:6543/platform");
				assertThat(context.getBean(ResultProperties.class).getDatasource().getUsername()).isEqualTo("worker");
				assertThat(context.getBean(ResultProperties.class).getDatasource().getPassword()).isEqualTo("s3cret");
				assertThat(context.getBean(ResultProperties.class).isTrackStarted()).isTrue();
				assertThat(context.getBean(WorkflowProperties.class).getChordUnlockMaxRetries()).isEqualTo(100);
			});
	}

	@Test
	void withoutTheEnvironmentVariablesCadastasOwnDefaultsApply() {
		this.contextRunner.withPropertyValues("celeriac.compatibility=cadasta").run((context) -> {
			assertThat(context.getBean(TopologyProperties.class).getQueueNamePrefix()).isEqualTo("dev-");
			assertThat(context.getBean(ResultProperties.class).getDatasource().getUrl())
				.isEqualTo("jdbc:postgresql://localhost:5432/cadasta");
			assertThat(context.getBean(ResultProperties.class).getDatasource().getUsername()).isEqualTo("cadasta");
			assertThat(context.getBean(ResultProperties.class).getDatasource().getPassword()).isEqualTo("cadasta");
			assertThat(context.getBean(WorkflowProperties.class).getChordUnlockMaxRetries()).isEqualTo(43_200);
		});
	}

	@Test
	void theApplicationsOwnPropertiesWin() {
		this.contextRunner
			.withPropertyValues("celeriac.compatibility=cadasta", "QUEUE_PREFIX=staging",
					"celeriac.broker.sqs.region=eu-west-1", "celeriac.topology.queue-name-prefix=mine-",
					"celeriac.result.type=redis", "celeriac.result.track-started=false",
					"celeriac.workflow.chord-unlock-max-retries=7")
			.run((context) -> {
				assertThat(context.getBean(BrokerProperties.class).getType()).isEqualTo(BrokerType.SQS);
				assertThat(context.getBean(BrokerProperties.class).getSqs().getRegion()).isEqualTo("eu-west-1");
				assertThat(context.getBean(TopologyProperties.class).getQueueNamePrefix()).isEqualTo("mine-");
				assertThat(context.getBean(ResultProperties.class).getType()).isEqualTo(ResultStoreType.REDIS);
				assertThat(context.getBean(ResultProperties.class).isTrackStarted()).isFalse();
				assertThat(context.getBean(WorkflowProperties.class).getChordUnlockMaxRetries()).isEqualTo(7);
			});
	}

	@Test
	void onRabbitMqTheQueuesKeepTheirBareNames() {
		// as kombu's queue_name_prefix, which only the SQS transport reads
		this.contextRunner
			.withPropertyValues("celeriac.compatibility=cadasta", "QUEUE_PREFIX=staging", "celeriac.broker.type=rabbit")
			.run((context) -> {
				assertThat(context.getBean(BrokerProperties.class).getType()).isEqualTo(BrokerType.RABBIT);
				assertThat(context.getBean(TopologyProperties.class).getQueueNamePrefix()).isEmpty();
			});
	}

	@Test
	void withoutTheSwitchNothingIsApplied() {
		this.contextRunner.withPropertyValues("QUEUE_PREFIX=staging").run((context) -> {
			assertThat(context.getBean(CompatibilityProperties.class).getCompatibility()).isNull();
			assertThat(context.getBean(BrokerProperties.class).getType()).isNull();
			assertThat(context.getBean(BrokerProperties.class).getSqs().getRegion()).isNull();
			assertThat(context.getBean(TopologyProperties.class).getQueueNamePrefix()).isNull();
			assertThat(context.getBean(ResultProperties.class).getDatasource().getUrl()).isNull();
		});
	}

	@Test
	void anUnknownFleetIsRefusedNamingTheProperty() {
		this.contextRunner.withPropertyValues("celeriac.compatibility=cadastra")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()

				.hasMessageContaining("celeriac.compatibility is 'cadastra'")
				.hasMessageContaining("cadasta"));
	}

	@Test
	void springBootAppliesTheSwitchFromSpringFactories() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
			.web(WebApplicationType.NONE)
			.properties("celeriac.compatibility=cadasta", "QUEUE_PREFIX=prod")
			.run()) {
			assertThat(context.getEnvironment().getProperty("celeriac.broker.type")).isEqualTo("sqs");
			assertThat(context.getEnvironment().getProperty("celeriac.topology.queue-name-prefix")).isEqualTo("prod-");
			assertThat(context.getEnvironment()
				.getPropertySources()
				.contains(CompatibilityEnvironmentPostProcessor.CADASTA_PROPERTY_SOURCE)).isTrue();
		}
	}

	@Test
	void aCadastaApplicationRunsTasksOnSqsWithThePrefixedQueues(SqsEndpoint sqs, ServiceIsolation isolation) {
		String queuePrefix = isolation.queueNamePrefix().replaceAll("-$", "");
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, ResultStoreAutoConfiguration.class,
					TaskAutoConfiguration.class, WorkerAutoConfiguration.class))
			.withUserConfiguration(ReportsConfiguration.class)
			.withSystemProperties("aws.accessKeyId=" + sqs.accessKeyId(),
					"aws.secretAccessKey=" + sqs.secretAccessKey())
			// ElasticMQ stands in for SQS; no cadasta result DB here
			.withPropertyValues("celeriac.compatibility=cadasta", "QUEUE_PREFIX=" + queuePrefix,
					"celeriac.broker.sqs.endpoint=" + sqs.url(), "celeriac.broker.sqs.wait-time=1s",
					"celeriac.result.type=memory")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(Broker.class).isInstanceOf(SqsBroker.class);
				Topology topology = context.getBean(Topology.class);
				assertThat(topology.queueName("reports")).isEqualTo(queuePrefix + "-reports");
				assertThat(topology.monitorQueueName()).isEqualTo(queuePrefix + "-platform.fifo");
				assertThat(topology.exchangeType()).isEqualTo(ExchangeType.TOPIC);
				TaskHandle<String> handle = context.getBean(Reports.class).generate(3, "csv");
				assertThat(handle.await(Duration.ofSeconds(20))).isEqualTo("report 3 as csv");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

	@Configuration(proxyBeanMethods = false)
	static class ReportsConfiguration {

		@Bean
		Reports reports() {
			return new Reports();
		}

	}

	public static class Reports {

		@Deferrable(name = "reports.generate")
		public TaskHandle<String> generate(int id, String format) {
			return TaskHandle.completed("report " + id + " as " + format);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ BrokerProperties.class, TopologyProperties.class, ResultProperties.class,
			WorkflowProperties.class })
	static class BoundProperties {

	}

}

package io.celeriac.autoconfigure.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.execution.RefusalPolicy;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.TopologyDeclarer;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.result.ResultStore;
import io.celeriac.result.TaskState;
import io.celeriac.result.memory.InMemoryResultStore;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.Topology;
import io.celeriac.task.TaskRegistry;
import io.celeriac.worker.TaskWorker;
import io.celeriac.worker.WorkerSettings;
import io.celeriac.worker.WorkerSignals;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link TaskAutoConfiguration} and {@link WorkerAutoConfiguration} on the
 * in-memory default.
 *
 * @author Celeriac team
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class));

	@Test
	void inMemoryBackendsAreTheDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(Broker.class).isInstanceOf(InMemoryBroker.class);
			assertThat(context).getBean(ResultStore.class).isInstanceOf(InMemoryResultStore.class);
			assertThat(context).hasSingleBean(TaskClient.class);
			assertThat(context).hasSingleBean(TaskWorker.class);
			assertThat(context).hasSingleBean(TopologyDeclarer.class);
			Topology topology = context.getBean(Topology.class);
			assertThat(topology.exchange()).isEqualTo("task_exchange");
			assertThat(topology.queueNamePrefix()).isEqualTo("dev-");
			assertThat(topology.monitorQueueName()).isEqualTo("dev-platform.fifo");
		});
	}

	@Test
	void theTaskRegistryIsInfrastructureSoStartingWarnsNothingAboutPostProcessing(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ReportTasksConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(TaskRegistry.class).names()).contains("reports.generate");
		});
		assertThat(output).doesNotContain("not eligible for getting processed by all BeanPostProcessors");
	}

	@Test
	void theDeliveryLimitDefaultsToTenAndIsConfigurable() {
		this.contextRunner.run((context) -> assertThat(context.getBean(WorkerSettings.class).maxDeliveries())
			.isEqualTo(WorkerSettings.DEFAULT_MAX_DELIVERIES)
			.isEqualTo(10));
		this.contextRunner.withPropertyValues("celeriac.worker.max-deliveries=0")
			.run((context) -> assertThat(context.getBean(WorkerSettings.class).maxDeliveries()).isZero());
	}

	@Test
	void refusedTasksRunAgainAfterTenSecondsUpTo360TimesByDefaultAndBothAreConfigurable() {
		this.contextRunner.run((context) -> assertThat(context.getBean(WorkerSettings.class).refusals())
			.isEqualTo(RefusalPolicy.defaults())
			.isEqualTo(new RefusalPolicy(Duration.ofSeconds(10), 360)));
		this.contextRunner
			.withPropertyValues("celeriac.worker.refusal.countdown=3s", "celeriac.worker.refusal.max-retries=5")
			.run((context) -> assertThat(context.getBean(WorkerSettings.class).refusals())
				.isEqualTo(new RefusalPolicy(Duration.ofSeconds(3), 5)));
	}

	@Test
	void theWorkerInvokesTheBeanAsTheContextHoldsIt() {
		this.contextRunner.withUserConfiguration(ReportTasksConfiguration.class).run((context) -> {
			Object bean = context.getBean("reportTasks");
			assertThat(AopUtils.isAopProxy(bean)).isTrue();
			assertThat(context.getBean(TaskRegistry.class).find("reports.generate")).get()
				.satisfies((task) -> assertThat(task.target()).isSameAs(bean));
		});
	}

	@Test
	void aProxyAddedByALaterPostProcessorAlsoAppliesOnTheWorker() {
		this.contextRunner.withUserConfiguration(ReportTasksConfiguration.class, WrappingConfiguration.class)
			.run((context) -> {
				Object bean = context.getBean("reportTasks");
				assertThat(context.getBean(TaskRegistry.class).find("reports.generate")).get()
					.satisfies((task) -> assertThat(task.target()).isSameAs(bean));
				ReportTasks reports = context.getBean(ReportTasks.class);
				assertThat(reports.generate(3, "csv").await(WAIT)).isEqualTo("report 3 as csv");
				// the caller's call, then the worker's
				assertThat(WrappingConfiguration.calls(context)).containsExactly("generate", "generate");
				assertThat(reports.threads()).singleElement().asString().startsWith("celeriac-memory-dev-reports");
			});
	}

	@Test
	void theExchangeTypeIsTopicUnlessConfigured() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(Topology.class).exchangeType()).isEqualTo(ExchangeType.TOPIC));
		this.contextRunner.withPropertyValues("celeriac.topology.exchange-type=fanout")
			.run((context) -> assertThat(context.getBean(Topology.class).exchangeType())
				.isEqualTo(ExchangeType.FANOUT));
		this.contextRunner
			.withPropertyValues("celeriac.topology.exchange-type=direct", "celeriac.topology.monitor-queue=")
			.run((context) -> assertThat(context.getBean(Topology.class).exchangeType())
				.isEqualTo(ExchangeType.DIRECT));
	}

	@Test
	void aDirectExchangeWithAMonitorQueueStopsStartupNamingBothProperties() {
		this.contextRunner.withPropertyValues("celeriac.topology.exchange-type=direct")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("celeriac.topology.exchange-type")
				.hasStackTraceContaining("celeriac.topology.monitor-queue"));
	}

	@Test
	void queuePrefixComesFromTheQueuePrefixVariable() {
		this.contextRunner.withPropertyValues("QUEUE_PREFIX=prod")
			.run((context) -> assertThat(context.getBean(Topology.class).queueNamePrefix()).isEqualTo("prod-"));
		this.contextRunner.withPropertyValues("QUEUE_PREFIX=prod", "celeriac.topology.queue-name-prefix=stage_")
			.run((context) -> assertThat(context.getBean(Topology.class).queueNamePrefix()).isEqualTo("stage_"));
	}

	@Test
	void deferrableMethodsRunOnTheWorkerNotTheCaller() throws Exception {
		this.contextRunner.withUserConfiguration(ReportTasksConfiguration.class).run((context) -> {
			ReportTasks reports = context.getBean(ReportTasks.class);
			TaskHandle<String> handle = reports.generate(7, "pdf");
			assertThat(handle.name()).isEqualTo("reports.generate");
			assertThat(handle.await(WAIT)).isEqualTo("report 7 as pdf");
			assertThat(handle.status()).isEqualTo(TaskState.SUCCESS);
			assertThat(reports.threads()).singleElement().asString().startsWith("celeriac-memory-dev-reports");
		});
	}

	@Test
	void aFutureCompletesWithTheResult() {
		this.contextRunner.withUserConfiguration(ReportTasksConfiguration.class).run((context) -> {
			CompletableFuture<Integer> sum = context.getBean(ReportTasks.class).sum(List.of(1, 2, 3));
			assertThat(sum.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(6);
		});
	}

	@Test
	void aVoidMethodIsFireAndForgetAndItsNameDefaultsToClassAndMethod() {
		this.contextRunner.withUserConfiguration(ReportTasksConfiguration.class).run((context) -> {
			ReportTasks reports = context.getBean(ReportTasks.class);
			assertThat(context.getBean(TaskRegistry.class).names()).contains("reportTasks.touch");
			reports.touch("k1");
			org.awaitility.Awaitility.await().atMost(WAIT).until(() -> reports.touched().contains("k1"));
			assertThat(context.getBean(TaskWorker.class).queues()).containsExactly("dev-reportTasks", "dev-reports");
		});
	}

	@Test
	void theTaskClientSendsByNameWithKeywordArguments() {
		this.contextRunner.withUserConfiguration(ReportTasksConfiguration.class).run((context) -> {
			TaskHandle<String> handle = context.getBean(TaskClient.class)
				.send("reports.generate", List.of(), Map.of("id", 3, "format", "csv"),
						io.celeriac.task.TaskOptions.defaults(), String.class);
			assertThat(handle.await(WAIT)).isEqualTo("report 3 as csv");
		});
	}

	@Test
	void aDeferrableMethodThatReturnsAValueFailsStartup() {
		this.contextRunner.withBean(BadTasks.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("returns java.lang.String; a task method returns void, TaskHandle<T> or "
						+ "CompletableFuture<T>");
		});
	}

	@Test
	void aTaskMethodThatAJdkProxyCannotCallFailsStartupSayingWhatToDo() {
		this.contextRunner.withUserConfiguration(InterfaceProxiedConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining(
						"Bean 'greeter' is a JDK proxy whose interfaces do not declare @Deferrable " + "method archive")
				.hasStackTraceContaining("spring.aop.proxy-target-class=true");
		});
	}

	@Test
	void aUserRouterAndBrokerReplaceOurs() {
		InMemoryBroker broker = new InMemoryBroker();
		TaskRouter router = (name) -> "everything";
		this.contextRunner.withBean(Broker.class, () -> broker)
			.withBean(TaskRouter.class, () -> router)
			.withUserConfiguration(ReportTasksConfiguration.class)
			.run((context) -> {
				assertThat(context).getBean(Broker.class).isSameAs(broker);
				assertThat(context.getBean(TaskWorker.class).queues()).containsExactly("dev-everything");
				assertThat(context.getBean(ReportTasks.class).generate(1, "x").await(WAIT)).isEqualTo("report 1 as x");
			});
	}

	@Test
	void withoutSpringAmqpTheRabbitBrokerBacksOffAndCallsSayWhy() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ConnectionFactory.class))
			.withPropertyValues("celeriac.broker.type=rabbit")
			.withUserConfiguration(ReportTasksConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(Broker.class);
				assertThat(context).doesNotHaveBean(TaskWorker.class);
				assertThatIllegalStateException().isThrownBy(() -> context.getBean(ReportTasks.class).touch("x"))
					.withMessageContaining("no broker is available");
			});
	}

	@Test
	void theWorkerCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("celeriac.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskWorker.class).hasSingleBean(TaskClient.class));
	}

	@Test
	void aSecondSignalHaltsUnlessTurnedOff() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(WorkerSignals.class));
		this.contextRunner.withPropertyValues("celeriac.worker.halt-on-second-signal=false")
			.run((context) -> assertThat(context).hasSingleBean(TaskWorker.class).doesNotHaveBean(WorkerSignals.class));
	}

	@Test
	void withResultTypeNoneHandlesCannotBeFollowed() {
		this.contextRunner.withPropertyValues("celeriac.result.type=none")
			.withUserConfiguration(ReportTasksConfiguration.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ResultStore.class);
				TaskHandle<String> handle = context.getBean(ReportTasks.class).generate(1, "x");
				assertThatIllegalStateException().isThrownBy(handle::status).withMessageContaining("no result store");
			});
	}

	@Test
	void jdbcResultsWithoutADatabaseSayWhatToDo() {
		this.contextRunner.withPropertyValues("celeriac.result.type=jdbc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("configure spring.datasource.url or celeriac.result.datasource.url");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportTasksConfiguration {

		@Bean
		ReportTasks reportTasks() {
			return new ReportTasks();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WrappingConfiguration {

		@Bean
		static List<String> wrappedCalls() {
			return new CopyOnWriteArrayList<>();
		}

		@Bean
		static BeanPostProcessor wrapsReportTasks(ObjectProvider<List<String>> calls) {
			// not Ordered, so it runs after Celeriac's post-processor
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!beanName.equals("reportTasks")) {
						return bean;
					}
					ProxyFactory factory = new ProxyFactory(bean);
					factory.setProxyTargetClass(true);
					factory.addAdvice((MethodInterceptor) (invocation) -> {
						calls.getObject().add(invocation.getMethod().getName());
						return invocation.proceed();
					});
					return factory.getProxy();
				}

			};
		}

		@SuppressWarnings("unchecked")
		static List<String> calls(ApplicationContext context) {
			return (List<String>) context.getBean("wrappedCalls");
		}

	}

	public static class ReportTasks {

		private final List<String> threads = new CopyOnWriteArrayList<>();

		private final List<String> touched = new CopyOnWriteArrayList<>();

		public List<String> threads() {
			return this.threads;
		}

		public List<String> touched() {
			return this.touched;
		}

		@Deferrable(name = "reports.generate")
		public TaskHandle<String> generate(int id, String format) {
			this.threads.add(Thread.currentThread().getName());
			return TaskHandle.completed("report " + id + " as " + format);
		}

		@Deferrable(name = "reports.sum")
		public CompletableFuture<Integer> sum(List<Integer> values) {
			return CompletableFuture.completedFuture(values.stream().mapToInt(Integer::intValue).sum());
		}

		@Deferrable
		public void touch(String key) {
			this.touched.add(key);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InterfaceProxiedConfiguration {

		@Bean
		Greeter greeter() {
			// as an auto-proxy creator that proxies interfaces would leave it
			ProxyFactory factory = new ProxyFactory(new InterfaceTasks());
			factory.addInterface(Greeter.class);
			factory.addAdvice((MethodInterceptor) MethodInvocation::proceed);
			return (Greeter) factory.getProxy();
		}

	}

	public interface Greeter {

		String greet(String name);

	}

	public static class InterfaceTasks implements Greeter {

		@Override
		public String greet(String name) {
			return "hello " + name;
		}

		@Deferrable(name = "greeter.archive")
		public void archive(String name) {
		}

	}

	static class BadTasks {

		@Deferrable(name = "bad.value")
		public String value() {
			return "never";
		}

	}

}

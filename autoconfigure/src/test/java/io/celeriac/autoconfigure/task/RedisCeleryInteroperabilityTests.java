package io.celeriac.autoconfigure.task;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.autoconfigure.workflow.WorkflowAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.redis.RedisBroker;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.celery.SentTask;
import io.celeriac.test.celery.TaskRun;
import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java and Python Celery 5.2.6 on one Redis as the broker (kombu's Redis transport, its
 * {@code global_keyprefix} the same as {@code celeriac.redis.key-prefix}), results in one
 * PostgreSQL schema: a Python client's {@code send_task} runs on the Java worker and
 * Python reads the result; a Java {@link TaskClient#send} runs on a Python worker and
 * Java reads the result; a chain started from Python goes Python, Java, Python.
 *
 * @author Celeriac team
 */
@RealServices
class RedisCeleryInteroperabilityTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final ApplicationContextRunner contextRunner;

	private final CeleryTopology topology;

	RedisCeleryInteroperabilityTests(RedisEndpoint redis, PostgresEndpoint postgres, ServiceIsolation isolation) {
		String exchange = isolation.queueNamePrefix() + "task_exchange";
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
					DataSourceAutoConfiguration.class, CeleriacAutoConfiguration.class,
					ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
					WorkflowAutoConfiguration.class))
			.withUserConfiguration(JavaServiceConfiguration.class)
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.broker.type=redis", "celeriac.redis.key-prefix=" + isolation.redisKeyPrefix(),
					"celeriac.topology.exchange=" + exchange,
					"celeriac.topology.queue-name-prefix=" + isolation.queueNamePrefix(),
					"celeriac.topology.queues=pyservice", "spring.datasource.url=" + isolation.jdbcUrl(),
					"spring.datasource.username=" + postgres.username(),
					"spring.datasource.password=" + postgres.password(), "celeriac.result.type=jdbc",
					"celeriac.result.initialize-schema=always");
		this.topology = CeleryTopology
			.of(redis, isolation.redisKeyPrefix(), exchange, isolation.queueNamePrefix(), "pyservice", "javaservice")
			.withResultBackend(CeleryTopology.databaseResultBackend(postgres, isolation.schema()));
	}

	@Test
	void aPythonClientsTaskRunsOnTheJavaWorkerAndPythonReadsItsResult() {
		PythonCelery python = PythonCelery.assumeInstalled();
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(Broker.class).isInstanceOf(RedisBroker.class);
			SentTask sent = python.sendTaskAndWait(this.topology, "javaservice.add", List.of(2, 3), Map.of(), TIMEOUT);
			assertThat(sent.resultJson()).isEqualTo("5");
			assertThat(context.getBean(JavaService.class).calls()).containsExactly("2 + 3");
			// kombu's topic exchange on Redis routed it to the monitor queue too
			assertThat(context.getBean(Broker.class).stats(this.topology.monitorQueueName()).ready()).isOne();
		});
	}

	@Test
	void aJavaClientsTaskRunsOnThePythonWorkerAndJavaReadsItsResult() {
		PythonCelery python = PythonCelery.assumeInstalled();
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			try (PythonCeleryWorker worker = python.startWorker(this.topology, List.of("pyservice"), TIMEOUT)) {
				TaskHandle<Integer> handle = context.getBean(TaskClient.class)
					.send("pyservice.multiply", List.of(6, 7), Map.of(), TaskOptions.defaults(), Integer.class);
				TaskRun run = worker.awaitRun(handle.id(), TIMEOUT);
				assertThat(run.lang()).isEqualTo("java");
				assertThat(run.routingKey()).isEqualTo("pyservice");
				assertThat(handle.await(TIMEOUT)).isEqualTo(42);
			}
		});
	}

	@Test
	void aChainStartedFromPythonRunsPythonJavaPythonAndJavaReadsTheLastResult() {
		PythonCelery python = PythonCelery.assumeInstalled();
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			try (PythonCeleryWorker worker = python.startWorker(this.topology, List.of("pyservice"), TIMEOUT)) {
				Map<String, Object> started = python.startWorkflow(this.topology, Map.of("chain",
						List.of(sig("pyservice.add", 1, 2), sig("javaservice.add", 3), sig("pyservice.add", 4))));
				@SuppressWarnings("unchecked")
				List<String> ids = (List<String>) started.get("ids");
				assertThat(ids).hasSize(3);
				TaskHandle<Integer> last = context.getBean(TaskClient.class).handle(ids.get(2), Integer.class);
				assertThat(last.await(TIMEOUT)).isEqualTo(10);
				assertThat(context.getBean(JavaService.class).calls()).containsExactly("3 + 3");
				TaskRun third = worker.awaitRun(ids.get(2), TIMEOUT);
				assertThat(third.args()).containsExactly(6, 4);
				assertThat(third.parentId()).isEqualTo(ids.get(1));
				assertThat(third.rootId()).isEqualTo(ids.get(0));
			}
		});
	}

	private static Map<String, Object> sig(String task, Object... args) {
		Map<String, Object> signature = new LinkedHashMap<>();
		signature.put("task", task);
		signature.put("args", List.of(args));
		return signature;
	}

	@Configuration(proxyBeanMethods = false)
	static class JavaServiceConfiguration {

		@Bean
		JavaService javaService() {
			return new JavaService();
		}

	}

	public static class JavaService {

		private final List<String> calls = new CopyOnWriteArrayList<>();

		List<String> calls() {
			return this.calls;
		}

		@Deferrable(name = "javaservice.add")
		public TaskHandle<Integer> add(int x, int y) {
			this.calls.add(x + " + " + y);
			return TaskHandle.completed(x + y);
		}

	}

}

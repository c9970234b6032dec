package io.celeriac.autoconfigure.processing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.processing.CachedOperations;
import io.celeriac.processing.Operation;
import io.celeriac.processing.OperationContext;
import io.celeriac.processing.OperationOutcome;
import io.celeriac.processing.ProcessingOutcome;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.celery.TaskRun;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * backache's names on the wire, against Python Celery 5.2.6 on the real RabbitMQ: with
 * {@code celeriac.processing.callback-delivery=task}, a Python task
 * {@code backache.callback.<operation>} receives a Java operation's result with the
 * coalesced callback arguments of every waiting caller; with
 * {@code celeriac.processing.quarantine-destination=task}, a quarantined request reaches
 * Python's {@code backache.quarantine-consumer(operation, uri, exc)} on
 * {@code backache-queue}.
 *
 * @author Celeriac team
 */
@RealServices
class BackacheCeleryInteroperabilityTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@Test
	void aPythonCallbackTaskReceivesTheResultAndTheCoalescedCallbackArguments(RabbitEndpoint rabbit,
			ServiceIsolation isolation) {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = isolation.exchange("backache");
		String prefix = prefix(isolation, "callback-");
		CeleryTopology topology = CeleryTopology.of(rabbit, exchange, prefix, "backache", "backache-queue");
		try (PythonCeleryWorker worker = python.startWorker(topology)) {
			runner(rabbit, exchange, prefix).run((context) -> {
				assertThat(context).hasNotFailed();
				CachedOperations operations = context.getBean(CachedOperations.class);
				WordCount wordCount = context.getBean(WordCount.class);
				// the operation waits until every caller has asked, so all three join one
				// processing
				OperationOutcome alice = operations.getOrDelegate("wordcount", "doc:three little words",
						Map.of("caller", "alice"));
				OperationOutcome bob = operations.getOrDelegate("wordcount", "doc:three little words",
						Map.of("caller", "bob"));
				OperationOutcome carol = operations.getOrDelegate("wordcount", "doc:three little words",
						Map.of("caller", "carol"));
				assertThat(List.of(bob.processingId(), carol.processingId())).containsOnly(alice.processingId());
				wordCount.release();
				assertThat(alice.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.CALLED_BACK);
				TaskRun run = awaitRun(worker, "backache.callback.wordcount");
				assertThat(run.args()).containsExactly(List.of(3,
						List.of(Map.of("caller", "alice"), Map.of("caller", "bob"), Map.of("caller", "carol"))));
				assertThat(run.lang()).isEqualTo("java");
				assertThat(run.routingKey()).isEqualTo("backache");
				assertThat(wordCount.runs).isEqualTo(1);
			});
		}
	}

	@Test
	void aQuarantinedRequestReachesBackachesQuarantineConsumer(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = isolation.exchange("backache_quarantine");
		String prefix = prefix(isolation, "quarantine-");
		CeleryTopology topology = CeleryTopology.of(rabbit, exchange, prefix, "backache", "backache-queue");
		try (PythonCeleryWorker worker = python.startWorker(topology)) {
			runner(rabbit, exchange, prefix).run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(WordCount.class).release();
				OperationOutcome outcome = context.getBean(CachedOperations.class)
					.getOrDelegate("wordcount", "doc:", Map.of("caller", "dave"));
				assertThat(outcome.awaitCallback(WAIT)).isEqualTo(ProcessingOutcome.QUARANTINED);
				TaskRun run = awaitRun(worker, "backache.quarantine-consumer");
				assertThat(run.routingKey()).isEqualTo("backache-queue");
				assertThat(run.args()).hasSize(3);
				assertThat(run.args().subList(0, 2)).containsExactly("wordcount", "doc:");
				assertThat(run.args().get(2)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.containsEntry("exc_type", "OperationQuarantine")
					.containsEntry("exc_module", "io.celeriac.processing")
					.containsEntry("op_kwargs", Map.of("reason", "empty"))
					.containsEntry("cb_args", List.of(Map.of("caller", "dave")));
			});
		}
	}

	private static TaskRun awaitRun(PythonCeleryWorker worker, String task) {
		await().atMost(WAIT).until(() -> find(worker, task).isPresent());
		return find(worker, task).orElseThrow();
	}

	private static Optional<TaskRun> find(PythonCeleryWorker worker, String task) {
		return worker.runs().stream().filter((run) -> run.task().equals(task)).findFirst();
	}

	private static ApplicationContextRunner runner(RabbitEndpoint rabbit, String exchange, String prefix) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, RabbitAutoConfiguration.class,
					CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
					WorkerAutoConfiguration.class, CacheRegionAutoConfiguration.class,
					ProcessingAutoConfiguration.class))
			.withBean(WordCount.class)
			.withPropertyValues("spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + rabbit.password(),
					"spring.rabbitmq.virtual-host=" + rabbit.virtualHost(), "celeriac.broker.type=rabbit",
					"celeriac.result.type=memory", "celeriac.cache.type=memory",
					"celeriac.topology.exchange=" + exchange, "celeriac.topology.queue-name-prefix=" + prefix,
					"celeriac.topology.queues=backache,backache-queue", "celeriac.processing.callback-delivery=task",
					"celeriac.processing.quarantine-destination=task");
	}

	private static String prefix(ServiceIsolation isolation, String name) {
		String prefix = isolation.queueNamePrefix() + name;
		for (String queue : List.of("platform.fifo", "celery", "processing", "backache", "backache-queue")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		return prefix;
	}

	static class WordCount {

		private final CountDownLatch callers = new CountDownLatch(1);

		volatile int runs;

		void release() {
			this.callers.countDown();
		}

		@Operation("wordcount")
		public int count(String uri, OperationContext context) throws InterruptedException {
			this.runs++;
			String text = uri.substring("doc:".length()).trim();
			if (text.isEmpty()) {
				throw context.quarantine(Map.of("reason", "empty"));
			}
			if (!this.callers.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never released the operation");
			}
			return text.split("\\s+").length;
		}

	}

}

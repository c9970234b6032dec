package io.celeriac.autoconfigure.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.execution.TaskInterceptor;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.celery.CeleryTopology;
import io.celeriac.test.celery.PythonCelery;
import io.celeriac.test.celery.PythonCeleryWorker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.ServiceIsolation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against the real RabbitMQ, with Spring Boot's Brave tracing: a worker's span continues
 * the producer's trace, and the task's log lines carry the producer's trace id (issue 5,
 * Must show 4). The producer and the worker are two application contexts, each with its
 * own tracer, so the trace can only travel in the message.
 *
 * @author Celeriac team
 */
@RealServices
class RabbitTracingTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void theWorkersSpanAndLogLinesContinueTheProducersTrace(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String exchange = isolation.exchange("tracing");
		String prefix = prefix(isolation, "tracing-");
		try (LogLines logs = LogLines.of(TracedTasks.class)) {
			worker(rabbit, exchange, prefix).run((worker) -> producer(rabbit, exchange, prefix).run((producer) -> {
				ObservationRegistry registry = producer.getBean(ObservationRegistry.class);
				TaskClient client = producer.getBean(TaskClient.class);
				TaskHandle<?> handle = Observation.createNotStarted("checkout", registry)
					.observe(() -> client.send("traced.work", List.of("order 7"), Map.of(), TaskOptions.defaults()));
				Spans producerSpans = producer.getBean(Spans.class);
				Spans workerSpans = worker.getBean(Spans.class);
				MutableSpan process = workerSpans.awaitOne(brave.Span.Kind.CONSUMER);
				MutableSpan publish = producerSpans.awaitOne(brave.Span.Kind.PRODUCER);
				MutableSpan checkout = producerSpans.awaitNamed("checkout");

				assertThat(publish.traceId()).isEqualTo(checkout.traceId());
				assertThat(publish.parentId()).isEqualTo(checkout.id());
				assertThat(publish.name()).isEqualTo("traced.work publish");
				assertThat(publish.tags()).containsEntry("celeriac.task.name", "traced.work")
					.containsEntry("celeriac.task.routing-key", "traced")
					.containsEntry("celeriac.task.id", handle.id());

				assertThat(process.traceId()).isEqualTo(checkout.traceId());
				assertThat(process.parentId()).isEqualTo(publish.id());
				assertThat(process.name()).isEqualTo("traced.work process");
				assertThat(process.tags()).containsEntry("celeriac.task.id", handle.id());
				assertThat(worker.getBean(Headers.class).traceparents)
					.containsExactly("00-" + publish.traceId() + "-" + publish.id() + "-01");

				LogLines.Line line = logs.lines().get(0);
				assertThat(line.message()).isEqualTo("Working on order 7");
				assertThat(line.mdc()).containsEntry("traceId", checkout.traceId())
					.containsEntry("spanId", process.id())
					.containsEntry("taskId", handle.id());
			}));
		}
	}

	@Test
	void aMalformedTraceparentStillRunsTheTaskInANewTrace(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		String exchange = isolation.exchange("malformed");
		String prefix = prefix(isolation, "malformed-");
		try (LogLines logs = LogLines.of(TracedTasks.class)) {
			worker(rabbit, exchange, prefix).run((worker) -> producer(rabbit, exchange, prefix).run((producer) -> {
				TaskClient client = producer.getBean(TaskClient.class);
				// a header given with the task wins over the one tracing would write
				client.send("traced.work", List.of("garbled"), Map.of(),
						TaskOptions.defaults().withHeader("traceparent", "00-not-a-trace-id-nor-a-span-id-01"));
				MutableSpan publish = producer.getBean(Spans.class).awaitOne(brave.Span.Kind.PRODUCER);
				MutableSpan process = worker.getBean(Spans.class).awaitOne(brave.Span.Kind.CONSUMER);
				assertThat(process.parentId()).isNull();
				assertThat(process.traceId()).isNotEqualTo(publish.traceId());
				await().atMost(WAIT).until(() -> !logs.lines().isEmpty());
				assertThat(logs.lines().get(0).mdc()).containsEntry("traceId", process.traceId());
			}));
		}
	}

	@Test
	void aTaskFromPythonCeleryStartsANewTrace(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = isolation.exchange("python");
		String prefix = prefix(isolation, "python-");
		try (LogLines logs = LogLines.of(TracedTasks.class)) {
			worker(rabbit, exchange, prefix).run((worker) -> {
				String id = python.sendTask(CeleryTopology.of(rabbit, exchange, prefix, "traced").withoutDeclaring(),
						"traced.work", List.of("from python"));
				MutableSpan process = worker.getBean(Spans.class).awaitOne(brave.Span.Kind.CONSUMER);
				assertThat(worker.getBean(Headers.class).traceparents).containsExactly((String) null);
				assertThat(process.parentId()).isNull();
				assertThat(process.tags()).containsEntry("celeriac.task.id", id);
				await().atMost(WAIT).until(() -> !logs.lines().isEmpty());
				assertThat(logs.lines().get(0).message()).isEqualTo("Working on from python");
				assertThat(logs.lines().get(0).mdc()).containsEntry("traceId", process.traceId());
			});
		}
	}

	@Test
	void aTracedTaskRunsOnPythonCelery(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		PythonCelery python = PythonCelery.assumeInstalled();
		String exchange = isolation.exchange("to_python");
		String prefix = prefix(isolation, "to-python-");
		CeleryTopology topology = CeleryTopology.of(rabbit, exchange, prefix, "pyservice");
		topology.queueNames().forEach(isolation::removeAfterwards);
		try (PythonCeleryWorker pythonWorker = python.startWorker(topology)) {
			producer(rabbit, exchange, prefix).withPropertyValues("celeriac.topology.queues=pyservice")
				.run((producer) -> {
					ObservationRegistry registry = producer.getBean(ObservationRegistry.class);
					TaskClient client = producer.getBean(TaskClient.class);
					TaskHandle<?> handle = Observation.createNotStarted("checkout", registry)
						.observe(() -> client.send("pyservice.multiply", List.of(6, 7), Map.of(),
								TaskOptions.defaults()));
					MutableSpan publish = producer.getBean(Spans.class).awaitOne(brave.Span.Kind.PRODUCER);
					assertThat(publish.tags()).containsEntry("celeriac.task.routing-key", "pyservice");
					// Celery 5.2.6 takes the traceparent header as any other and runs the
					// task
					assertThat(pythonWorker.awaitRun(handle.id(), WAIT).result()).isEqualTo(42);
				});
		}
	}

	private static String prefix(ServiceIsolation isolation, String name) {
		String prefix = isolation.queueNamePrefix() + name;
		for (String queue : List.of("platform.fifo", "celery", "traced", "pyservice")) {
			isolation.removeAfterwards(prefix + queue);
			isolation.removeAfterwards(prefix + queue + ".error");
		}
		return prefix;
	}

	private static ApplicationContextRunner worker(RabbitEndpoint rabbit, String exchange, String prefix) {
		return runner(rabbit, exchange, prefix).withBean(TracedTasks.class)
			.withBean(Headers.class)
			.withPropertyValues("spring.application.name=worker");
	}

	private static ApplicationContextRunner producer(RabbitEndpoint rabbit, String exchange, String prefix) {
		return runner(rabbit, exchange, prefix).withPropertyValues("spring.application.name=producer",
				"celeriac.worker.enabled=false");
	}

	private static ApplicationContextRunner runner(RabbitEndpoint rabbit, String exchange, String prefix) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, RabbitAutoConfiguration.class,
					ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
					BraveAutoConfiguration.class, CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class,
					TaskAutoConfiguration.class, WorkerAutoConfiguration.class, TaskObservationAutoConfiguration.class))
			.withBean(Spans.class)
			.withPropertyValues("spring.rabbitmq.host=" + rabbit.host(), "spring.rabbitmq.port=" + rabbit.port(),
					"spring.rabbitmq.username=" + rabbit.username(), "spring.rabbitmq.password=" + rabbit.password(),
					"spring.rabbitmq.virtual-host=" + rabbit.virtualHost(), "celeriac.broker.type=rabbit",
					"celeriac.topology.exchange=" + exchange, "celeriac.topology.queue-name-prefix=" + prefix,
					"management.tracing.sampling.probability=1.0");
	}

	/**
	 * The spans a tracer finished.
	 */
	static class Spans extends SpanHandler {

		private final List<MutableSpan> finished = new CopyOnWriteArrayList<>();

		@Override
		public boolean end(TraceContext context, MutableSpan span, Cause cause) {
			this.finished.add(span);
			return true;
		}

		MutableSpan awaitOne(brave.Span.Kind kind) {
			await().atMost(WAIT).until(() -> this.finished.stream().anyMatch((span) -> span.kind() == kind));
			List<MutableSpan> found = this.finished.stream().filter((span) -> span.kind() == kind).toList();
			assertThat(found).hasSize(1);
			return found.get(0);
		}

		MutableSpan awaitNamed(String name) {
			await().atMost(WAIT).until(() -> this.finished.stream().anyMatch((span) -> name.equals(span.name())));
			return this.finished.stream().filter((span) -> name.equals(span.name())).findFirst().orElseThrow();
		}

	}

	/**
	 * The {@code traceparent} header of each task the worker ran, as it came off the
	 * wire.
	 */
	static class Headers implements TaskInterceptor {

		private final List<String> traceparents = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

		@Override
		public Object intercept(io.celeriac.protocol.TaskMessage task, Invocation invocation) throws Throwable {
			Object traceparent = task.headers().extra().get("traceparent");
			this.traceparents.add((traceparent != null) ? traceparent.toString() : null);
			return invocation.proceed();
		}

	}

}

package io.celeriac.autoconfigure.observation;

import java.util.List;
import java.util.Map;

import brave.Span;
import brave.handler.MutableSpan;
import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On the real Redis as broker, with Spring Boot's Brave tracing: the trace context
 * travels in the Redis message's headers as it does on RabbitMQ.
 *
 * @author Celeriac team
 */
@RealServices
class RedisTracingTests {

	@Test
	void theWorkersSpanContinuesTheProducersTrace(RedisEndpoint redis, ServiceIsolation isolation) {
		try (LogLines logs = LogLines.of(TracedTasks.class)) {
			runner(redis, isolation).withBean(TracedTasks.class)
				.withPropertyValues("spring.application.name=worker")
				.run((worker) -> runner(redis, isolation)
					.withPropertyValues("spring.application.name=producer", "celeriac.worker.enabled=false")
					.run((producer) -> {
						ObservationRegistry registry = producer.getBean(ObservationRegistry.class);
						TaskClient client = producer.getBean(TaskClient.class);
						Observation.createNotStarted("checkout", registry)
							.observe(() -> client.send("traced.work", List.of("on redis"), Map.of(),
									TaskOptions.defaults()));
						MutableSpan publish = producer.getBean(RabbitTracingTests.Spans.class)
							.awaitOne(Span.Kind.PRODUCER);
						MutableSpan process = worker.getBean(RabbitTracingTests.Spans.class)
							.awaitOne(Span.Kind.CONSUMER);
						assertThat(process.traceId()).isEqualTo(publish.traceId());
						assertThat(process.parentId()).isEqualTo(publish.id());
						await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !logs.lines().isEmpty());
						assertThat(logs.lines().get(0).mdc()).containsEntry("traceId", publish.traceId());
					}));
		}
	}

	private static ApplicationContextRunner runner(RedisEndpoint redis, ServiceIsolation isolation) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
					ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
					BraveAutoConfiguration.class, CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class,
					TaskAutoConfiguration.class, WorkerAutoConfiguration.class, TaskObservationAutoConfiguration.class))
			.withBean(RabbitTracingTests.Spans.class)
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"celeriac.broker.type=redis", "celeriac.redis.key-prefix=" + isolation.redisKeyPrefix(),
					"celeriac.topology.queue-name-prefix=" + isolation.queueNamePrefix(),
					"management.tracing.sampling.probability=1.0");
	}

}

package io.celeriac.autoconfigure;

import io.celeriac.autoconfigure.delay.DelayedTaskAutoConfiguration;
import io.celeriac.autoconfigure.limit.LimiterAutoConfiguration;
import io.celeriac.autoconfigure.lock.LockAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.delay.DelayedTaskStore;
import io.celeriac.delay.memory.InMemoryDelayedTaskStore;
import io.celeriac.delay.redis.RedisDelayedTaskStore;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.lock.DistributedLock;
import io.celeriac.lock.memory.InMemoryDistributedLock;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.result.ResultStore;
import io.celeriac.result.memory.InMemoryResultStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SingleProcessFallback}: beside a real broker, an in-memory delayed
 * task store chosen by default refuses startup and in-memory locks, limiters and results
 * chosen by default warn; an explicit choice is accepted quietly, and so is everything in
 * memory when nothing is configured. The broker is chosen from the properties alone, so
 * no broker is dialled.
 *
 * @author Celeriac team
 */
@ExtendWith(OutputCaptureExtension.class)
class SingleProcessFallbackTests {

	private static final String WARNING = "memory beside the '";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CeleriacAutoConfiguration.class, DelayedTaskAutoConfiguration.class,
				LockAutoConfiguration.class, LimiterAutoConfiguration.class, ResultStoreAutoConfiguration.class));

	@Test
	void withNothingConfiguredEverythingIsInMemoryAndQuiet(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(InMemoryDelayedTaskStore.class)
				.hasSingleBean(InMemoryDistributedLock.class)
				.hasSingleBean(InMemoryLimiters.class)
				.hasSingleBean(InMemoryResultStore.class);
			assertThat(output).doesNotContain(WARNING).doesNotContain("WARN");
		});
	}

	@Test
	void anInMemorySchedulerChosenByDefaultBesideRabbitMqRefusesStartup() {
		this.contextRunner.withPropertyValues("spring.rabbitmq.host=rabbit.example").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(SingleProcessBackendException.class)
				.hasMessageContaining("celeriac.scheduler.type");
			FailureAnalysis analysis = new SingleProcessBackendFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("'rabbit'")
				.contains("celeriac.scheduler.type")
				.contains("delayed tasks")
				.contains("lost");
			assertThat(analysis.getAction()).contains("celeriac.scheduler.type=redis")
				.contains("celeriac.scheduler.type=memory")
				.contains("spring.data.redis.host");
		});
	}

	@Test
	void anInMemorySchedulerChosenByDefaultBesideARedisOrSqsBrokerRefusesStartup() {
		for (String broker : new String[] { "redis", "sqs" }) {
			this.contextRunner.withPropertyValues("celeriac.broker.type=" + broker)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(SingleProcessBackendException.class)
					.hasMessageContaining("'" + broker + "' broker")
					.hasMessageContaining("celeriac.scheduler.type"));
		}
	}

	@Test
	void anInMemorySchedulerChosenExplicitlyStartsBesideRabbitMq(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.rabbitmq.host=rabbit.example", "celeriac.scheduler.type=memory",
					"celeriac.lock.type=memory", "celeriac.limiter.type=memory", "celeriac.result.type=memory")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(InMemoryDelayedTaskStore.class);
				assertThat(output).doesNotContain(WARNING);
			});
	}

	@Test
	void aUserStoreBesideRabbitMqIsNotRefused() {
		InMemoryDelayedTaskStore mine = new InMemoryDelayedTaskStore();
		this.contextRunner.withPropertyValues("spring.rabbitmq.host=rabbit.example")
			.withBean("myStore", DelayedTaskStore.class, () -> mine)
			.run((context) -> assertThat(context).hasNotFailed().getBean(DelayedTaskStore.class).isSameAs(mine));
	}

	@Test
	void inMemoryLocksLimitersAndResultsBesideRabbitMqWarnOnceEach(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.rabbitmq.host=rabbit.example", "celeriac.scheduler.type=memory")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(warnings(output, "celeriac.lock.type")).isOne();
				assertThat(warnings(output, "celeriac.limiter.type")).isOne();
				assertThat(warnings(output, "celeriac.result.type")).isOne();
				assertThat(output).contains("@Locked and DistributedLock exclude nothing across processes")
					.contains("count per process")
					.contains("lost when it stops")
					.contains("celeriac.lock.type=redis")
					.contains("celeriac.result.type=jdbc")
					.doesNotContain("celeriac.scheduler.type");
			});
	}

	@Test
	void withRedisBesideRabbitMqOnlyTheInMemoryResultStoreWarns(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.rabbitmq.host=rabbit.example", "spring.data.redis.host=redis.example")
			.withBean(RedisConnectionFactory.class, LettuceConnectionFactory::new)
			.withBean(CeleryProtocol.class, () -> new CeleryProtocol(JsonMapper.builder().build()))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RedisDelayedTaskStore.class);
				assertThat(context).getBean(ResultStore.class).isInstanceOf(InMemoryResultStore.class);
				assertThat(warnings(output, "celeriac.result.type")).isOne();
				assertThat(output).doesNotContain("celeriac.lock.type").doesNotContain("celeriac.limiter.type");
			});
	}

	@Test
	void aUserLockBesideRabbitMqDoesNotWarn(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.rabbitmq.host=rabbit.example", "celeriac.scheduler.type=memory")
			.withBean("myLock", DistributedLock.class, InMemoryDistributedLock::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("celeriac.lock.type").contains("celeriac.limiter.type");
			});
	}

	private static long warnings(CapturedOutput output, String property) {
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("WARN") && line.contains(WARNING) && line.contains(property + "=memory"))
			.count();
	}

}

package io.celeriac.autoconfigure.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.limit.LimiterAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.limit.Limiters;
import io.celeriac.limit.RateLimitDefinition;
import io.celeriac.limit.memory.InMemoryLimiters;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.TaskState;
import io.celeriac.task.Deferrable;
import io.celeriac.task.TaskHandle;
import io.celeriac.worker.TaskRateLimits;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the tasks' rate limits in {@link WorkerAutoConfiguration}, on the in-memory
 * default.
 *
 * @author Celeriac team
 */
class TaskRateLimitsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, LimiterAutoConfiguration.class, TaskAutoConfiguration.class,
				WorkerAutoConfiguration.class));

	@Test
	void aPropertyPerTaskNameWinsOverTheAnnotationAndZeroLiftsTheLimit() {
		this.contextRunner.withBean(PacedTasks.class)
			.withPropertyValues("celeriac.worker.rate-limits.paced.report=10/m",
					"celeriac.worker.rate-limits[paced.unlimited]=0", "celeriac.worker.rate-limits.pacedTasks.run=3/s",
					"celeriac.worker.rate-limits[pacedTasks.other]=4/s")
			.run((context) -> {
				TaskRateLimits limits = context.getBean(TaskRateLimits.class);
				assertThat(limits.rateLimit("paced.report", method("report")))
					.contains(new RateLimitDefinition(10, Duration.ofMinutes(1)));
				assertThat(limits.rateLimit("paced.unlimited", method("unlimited"))).isEmpty();
				assertThat(limits.rateLimit("pacedTasks.other", null))
					.contains(new RateLimitDefinition(4, Duration.ofSeconds(1)));
				assertThat(limits.rateLimit("pacedTasks.run", null))
					.contains(new RateLimitDefinition(3, Duration.ofSeconds(1)));
				assertThat(limits.rateLimit("paced.tick", method("tick")))
					.contains(new RateLimitDefinition(2, Duration.ofSeconds(1)));
			});
	}

	@Test
	void anInvalidRatePropertyFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("celeriac.worker.rate-limits.paced.report=10/x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("celeriac.worker.rate-limits.paced.report")
				.hasMessageContaining("'10/x'")
				.hasMessageContaining("'10/m'"));
	}

	@Test
	void anInvalidRateOnTheAnnotationFailsStartupNamingIt() {
		this.contextRunner.withBean(BadlyPacedTasks.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("@Deferrable(rateLimit = \"fast\") on BadlyPacedTasks.run")
				.hasMessageContaining("'100/s'"));
	}

	@Test
	void theRateLimitsKeepTheirRatesInTheLimitersBean() {
		this.contextRunner.withBean(PacedTasks.class).run((context) -> {
			Limiters limiters = context.getBean(Limiters.class);
			assertThat(limiters).isInstanceOf(InMemoryLimiters.class);
			PacedTasks tasks = context.getBean(PacedTasks.class);
			tasks.tick(0).await(WAIT);
			tasks.tick(1).await(WAIT);
			// the burst of two is spent in the store the workers share
			assertThat(limiters.rateLimiter("task:paced.tick", 2, Duration.ofSeconds(1)).tryAcquire("fleet").allowed())
				.isFalse();
		});
	}

	@Test
	void onTheInMemoryDefaultATaskOverItsRateWaitsForItsTurnAndRuns() {
		this.contextRunner.withBean(PacedTasks.class).withBean(Delays.class).run((context) -> {
			PacedTasks tasks = context.getBean(PacedTasks.class);
			List<TaskHandle<Integer>> handles = IntStream.range(0, 5).mapToObj(tasks::tick).toList();
			for (TaskHandle<Integer> handle : handles) {
				assertThat(handle.await(WAIT)).isNotNull();
				assertThat(handle.status()).isEqualTo(TaskState.SUCCESS);
			}
			assertThat(tasks.ticks()).hasSize(5);
			assertThat(context.getBean(Delays.class).delayed).hasSizeGreaterThanOrEqualTo(3);
		});
	}

	@Test
	void aUserBeanWins() {
		TaskRateLimits own = new TaskRateLimits(new InMemoryLimiters(), Map.of("paced.report", "1/h"));
		this.contextRunner.withBean(TaskRateLimits.class, () -> own)
			.run((context) -> assertThat(context).getBean(TaskRateLimits.class).isSameAs(own));
	}

	private static java.lang.reflect.Method method(String name) {
		return ReflectionUtils.findMethod(PacedTasks.class, name, (Class<?>[]) null);
	}

	public static class PacedTasks {

		private final List<Integer> ticks = new CopyOnWriteArrayList<>();

		public List<Integer> ticks() {
			return this.ticks;
		}

		@Deferrable(name = "paced.tick", rateLimit = "2/s")
		public TaskHandle<Integer> tick(int n) {
			this.ticks.add(n);
			return TaskHandle.completed(n);
		}

		@Deferrable(name = "paced.report", rateLimit = "100/s")
		public void report() {
		}

		@Deferrable(name = "paced.unlimited", rateLimit = "5/s")
		public void unlimited() {
		}

	}

	public static class BadlyPacedTasks {

		@Deferrable(name = "paced.bad", rateLimit = "fast")
		public void run() {
		}

	}

	static class Delays implements TaskLifecycleListener {

		final List<String> delayed = new CopyOnWriteArrayList<>();

		@Override
		public void onDelay(TaskMessage task) {
			this.delayed.add(task.id());
		}

	}

}

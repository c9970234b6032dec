package io.celeriac.autoconfigure.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.InvalidBackendTypeException;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.memory.InMemoryBroker;
import io.celeriac.schedule.MissedTicks;
import io.celeriac.schedule.Recurrence;
import io.celeriac.schedule.Recurring;
import io.celeriac.schedule.RecurringSchedule;
import io.celeriac.schedule.RecurringTaskScheduler;
import io.celeriac.schedule.ScheduleStore;
import io.celeriac.schedule.Schedules;
import io.celeriac.schedule.jdbc.JdbcScheduleStore;
import io.celeriac.schedule.memory.InMemoryScheduleStore;
import io.celeriac.schedule.redis.RedisScheduleStore;
import io.celeriac.task.CurrentTask;
import io.celeriac.task.Deferrable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RecurringTaskAutoConfiguration}: the schedule store each
 * {@code celeriac.recurring.type} chooses, schedules from {@code @Recurring} and from
 * properties, startup errors naming what to change, and a recurring task running on the
 * in-memory default with no server.
 *
 * @author Celeriac team
 */
@ExtendWith(OutputCaptureExtension.class)
class RecurringTaskAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
				RecurringTaskAutoConfiguration.class));

	@Test
	void withNoServerTheStoreIsInMemoryAndARecurringTaskRuns() {
		this.contextRunner.withUserConfiguration(EverySecondConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(ScheduleStore.class).isInstanceOf(InMemoryScheduleStore.class);
			EverySecond task = context.getBean(EverySecond.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> task.runs().size() >= 2);
			assertThat(task.runs()).allSatisfy((id) -> assertThat(id).matches("heartbeat@\\d{4}-.*:\\d\\dZ"));
			RecurringTaskScheduler scheduler = context.getBean(RecurringTaskScheduler.class);
			assertThat(scheduler.status()).singleElement().satisfies((status) -> {
				assertThat(status.task()).isEqualTo("sample.heartbeat");
				assertThat(status.lastRun()).isNotNull();
				assertThat(status.nextRun()).isAfter(status.lastRun());
			});
		});
	}

	@Test
	void withRedisConfiguredTheStoreIsRedis() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1")
			.run((context) -> assertThat(context).getBean(ScheduleStore.class).isInstanceOf(RedisScheduleStore.class));
	}

	@Test
	void jdbcIsChosenExplicitlyAndCreatesItsTableInAnEmbeddedDatabase() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:recurring-jdbc;DB_CLOSE_DELAY=-1",
					"celeriac.recurring.type=jdbc", "celeriac.result.type=memory")
			.run((context) -> {
				assertThat(context).getBean(ScheduleStore.class).isInstanceOf(JdbcScheduleStore.class);
				ScheduleStore store = context.getBean(ScheduleStore.class);
				assertThat(store.claim("nightly", Instant.parse("2026-12-07T00:00:00Z"))).isTrue();
				assertThat(new JdbcTemplate(context.getBean(javax.sql.DataSource.class))
					.queryForObject("SELECT last_tick FROM celeriac_schedule WHERE name = 'nightly'", Long.class))
					.isEqualTo(Instant.parse("2026-12-07T00:00:00Z").toEpochMilli());
			});
	}

	@Test
	void jdbcWithoutADatabaseStopsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("celeriac.recurring.type=jdbc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("celeriac.recurring.type")
				.hasMessageContaining("spring.datasource.url");
		});
	}

	@Test
	void anUnknownTypeStopsStartupNamingTheValidOnes() {
		this.contextRunner.withPropertyValues("celeriac.recurring.type=zookeeper").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidBackendTypeException.class)
				.hasMessageContaining("celeriac.recurring.type")
				.hasMessageContaining("redis, jdbc, memory");
		});
	}

	@Test
	void theInMemoryStoreBesideASharedBrokerIsNamedInAWarning(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(EverySecondConfiguration.class)
			.withPropertyValues("celeriac.broker.type=rabbit")
			.withBean(Broker.class, InMemoryBroker::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("every instance of this application publishes every tick")
					.contains("celeriac.recurring.type=redis or jdbc");
			});
	}

	@Test
	void withNoServerThereIsNoWarning(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(EverySecondConfiguration.class)
			.run((context) -> assertThat(output).doesNotContain("publishes every tick"));
	}

	@Test
	void aUserStoreWins() {
		InMemoryScheduleStore store = new InMemoryScheduleStore();
		this.contextRunner.withBean(ScheduleStore.class, () -> store).run((context) -> {
			assertThat(context).getBean(ScheduleStore.class).isSameAs(store);
			assertThat(context.getBean(RecurringTaskScheduler.class).store()).isSameAs(store);
		});
	}

	@Test
	void aUserSchedulerWins() {
		this.contextRunner.withUserConfiguration(UserSchedulerConfiguration.class)
			.run((context) -> assertThat(context).getBean(RecurringTaskScheduler.class)
				.isSameAs(context.getBean(UserSchedulerConfiguration.class).scheduler));
	}

	@Test
	void theSchedulerCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("celeriac.recurring.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RecurringTaskScheduler.class));
	}

	@Test
	void propertySchedulesSendAnyTaskWithArgumentsAndOptions() {
		this.contextRunner
			.withPropertyValues("celeriac.schedules.cleanup.task=py.cleanup", "celeriac.schedules.cleanup.every=30s",
					"celeriac.schedules.cleanup.args[0]=7", "celeriac.schedules.cleanup.kwargs.format=csv",
					"celeriac.schedules.cleanup.routing-key=python", "celeriac.schedules.cleanup.expires=1m",
					"celeriac.schedules.cleanup.missed-ticks=skip", "celeriac.schedules.morning.task=reports.morning",
					"celeriac.schedules.morning.cron=0 0 9 * * MON-FRI", "celeriac.schedules.morning.zone=Europe/Paris")
			.run((context) -> {
				Schedules schedules = context.getBean(Schedules.class);
				assertThat(schedules.find("cleanup")).hasValueSatisfying((schedule) -> {
					assertThat(schedule.task()).isEqualTo("py.cleanup");
					assertThat(schedule.recurrence()).isEqualTo(Recurrence.every(Duration.ofSeconds(30)));
					assertThat(schedule.args()).containsExactly("7");
					assertThat(schedule.kwargs()).containsEntry("format", "csv");
					assertThat(schedule.routingKey()).isEqualTo("python");
					assertThat(schedule.expires()).isEqualTo(Duration.ofMinutes(1));
					assertThat(schedule.missedTicks()).isEqualTo(MissedTicks.SKIP);
				});
				assertThat(schedules.find("morning")).map(RecurringSchedule::recurrence)
					.map(Recurrence::describe)
					.contains("cron \"0 0 9 * * MON-FRI\" Europe/Paris");
				assertThat(context.getBean(RecurringTaskScheduler.class).status()).extracting("name")
					.containsExactly("cleanup", "morning");
			});
	}

	@Test
	void aScheduleWithoutATaskStopsStartupNamingTheProperty() {
		assertInvalid("celeriac.schedules.broken.task", "celeriac.schedules.broken.every=5s");
	}

	@Test
	void aScheduleWithCronAndEveryStopsStartupNamingTheProperties() {
		assertInvalid("celeriac.schedules.broken.every", "celeriac.schedules.broken.task=a.b",
				"celeriac.schedules.broken.every=5s", "celeriac.schedules.broken.cron=0 * * * * *");
	}

	@Test
	void anInvalidCronStopsStartupNamingTheProperty() {
		assertInvalid("celeriac.schedules.broken.cron", "celeriac.schedules.broken.task=a.b",
				"celeriac.schedules.broken.cron=every minute");
	}

	@Test
	void anInvalidZoneStopsStartupNamingTheProperty() {
		assertInvalid("celeriac.schedules.broken.zone", "celeriac.schedules.broken.task=a.b",
				"celeriac.schedules.broken.cron=0 * * * * *", "celeriac.schedules.broken.zone=Mars/Olympus");
	}

	@Test
	void aRecurringMethodThatIsNotDeferrableStopsStartup() {
		this.contextRunner.withBean(NotDeferrable.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("is not @Deferrable");
		});
	}

	private void assertInvalid(String property, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + property + " ");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class EverySecondConfiguration {

		@Bean
		EverySecond everySecond() {
			return new EverySecond();
		}

	}

	static class EverySecond {

		private final Set<String> runs = ConcurrentHashMap.newKeySet();

		Set<String> runs() {
			return this.runs;
		}

		@Deferrable(name = "sample.heartbeat")
		@Recurring(every = "1s", name = "heartbeat")
		public void beat() {
			CurrentTask current = CurrentTask.get();
			this.runs.add((current != null) ? current.id() : "outside a task");
		}

	}

	static class NotDeferrable {

		@Recurring(every = "1s")
		public void beat() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSchedulerConfiguration {

		final RecurringTaskScheduler scheduler = new RecurringTaskScheduler(new InMemoryScheduleStore(),
				new Schedules(), new io.celeriac.task.TaskClient() {

					@Override
					public <T> io.celeriac.task.TaskHandle<T> send(String name, List<?> args, Map<String, ?> kwargs,
							io.celeriac.task.TaskOptions options, java.lang.reflect.Type resultType) {
						throw new UnsupportedOperationException();
					}

					@Override
					public <T> java.util.concurrent.CompletableFuture<io.celeriac.task.TaskHandle<T>> sendAsync(
							String name, List<?> args, Map<String, ?> kwargs, io.celeriac.task.TaskOptions options,
							java.lang.reflect.Type resultType) {
						throw new UnsupportedOperationException();
					}

					@Override
					public <T> io.celeriac.task.TaskHandle<T> handle(String taskId, java.lang.reflect.Type resultType) {
						throw new UnsupportedOperationException();
					}

				}, RecurringTaskScheduler.Settings.defaults(), java.time.Clock.systemUTC());

		@Bean
		RecurringTaskScheduler userScheduler() {
			return this.scheduler;
		}

	}

}

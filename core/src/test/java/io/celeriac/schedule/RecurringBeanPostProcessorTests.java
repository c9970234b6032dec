package io.celeriac.schedule;

import java.time.Duration;

import io.celeriac.task.Deferrable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanInitializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RecurringBeanPostProcessor}: a valid {@link Recurring @Recurring}
 * method becomes a schedule; an invalid one stops startup with a message naming what to
 * change.
 *
 * @author Celeriac team
 */
class RecurringBeanPostProcessorTests {

	private final Schedules schedules = new Schedules();

	private final RecurringBeanPostProcessor postProcessor = new RecurringBeanPostProcessor(this.schedules);

	@Test
	void aRecurringDeferrableMethodBecomesASchedule() {
		this.postProcessor.postProcessAfterInitialization(new Valid(), "valid");
		assertThat(this.schedules.find("reports.cleanup")).hasValueSatisfying((schedule) -> {
			assertThat(schedule.task()).isEqualTo("reports.cleanup");
			assertThat(schedule.recurrence()).isEqualTo(Recurrence.every(Duration.ofSeconds(30)));
			assertThat(schedule.missedTicks()).isEqualTo(MissedTicks.SKIP);
		});
		assertThat(this.schedules.find("paris")).hasValueSatisfying((schedule) -> {
			assertThat(schedule.task()).isEqualTo("valid.morning");
			assertThat(schedule.recurrence().describe()).isEqualTo("cron \"0 */5 * * * *\" Europe/Paris");
			assertThat(schedule.missedTicks()).isEqualTo(MissedTicks.RUN_ONCE);
		});
	}

	@Test
	void aRecurringMethodThatIsNotDeferrableStopsStartup() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessAfterInitialization(new NotDeferrable(), "plain"))
			.withMessageContaining("NotDeferrable.run of bean 'plain' is not @Deferrable");
	}

	@Test
	void aRecurringMethodWithParametersStopsStartup() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessAfterInitialization(new WithParameters(), "params"))
			.withMessageContaining("takes 1 parameter(s); a recurring task takes none");
	}

	@Test
	void cronAndEveryTogetherStopStartup() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessAfterInitialization(new Both(), "both"))
			.withMessageContaining("must set exactly one of cron and every");
	}

	@Test
	void aZoneWithAFixedIntervalStopsStartup() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessAfterInitialization(new ZoneWithEvery(), "zoned"))
			.withMessageContaining("a zone applies to cron only");
	}

	@Test
	void anInvalidCronExpressionStopsStartupNamingIt() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessAfterInitialization(new BadCron(), "bad"))
			.withMessageContaining("cron/zone is not valid")
			.withMessageContaining("every minute");
	}

	static class Valid {

		@Deferrable(name = "reports.cleanup")
		@Recurring(every = "30s", missedTicks = MissedTicks.SKIP)
		public void cleanup() {
		}

		@Deferrable
		@Recurring(cron = "0 */5 * * * *", zone = "Europe/Paris", name = "paris")
		public void morning() {
		}

	}

	static class NotDeferrable {

		@Recurring(every = "1s")
		public void run() {
		}

	}

	static class WithParameters {

		@Deferrable
		@Recurring(every = "1s")
		public void run(int day) {
		}

	}

	static class Both {

		@Deferrable
		@Recurring(every = "1s", cron = "* * * * * *")
		public void run() {
		}

	}

	static class ZoneWithEvery {

		@Deferrable
		@Recurring(every = "1s", zone = "Europe/Paris")
		public void run() {
		}

	}

	static class BadCron {

		@Deferrable
		@Recurring(cron = "every minute")
		public void run() {
		}

	}

}

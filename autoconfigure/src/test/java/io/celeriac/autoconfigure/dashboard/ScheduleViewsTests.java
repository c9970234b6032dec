package io.celeriac.autoconfigure.dashboard;

import java.time.Instant;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.operations.CeleriacOperationsAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.schedule.RecurringTaskAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.operations.endpoint.CeleriacEndpoint;
import io.celeriac.schedule.ScheduleStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Recurring schedules with their last and next runs in the dashboard's JSON API, on its
 * workers page, and in the {@code celeriac} Actuator endpoint.
 *
 * @author Celeriac team
 */
class ScheduleViewsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class, AopAutoConfiguration.class,
				CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
				WorkerAutoConfiguration.class, CeleriacOperationsAutoConfiguration.class,
				RecurringTaskAutoConfiguration.class, DashboardAutoConfiguration.class))
		.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none",
				"management.endpoints.web.exposure.include=celeriac", "celeriac.schedules.nightly.task=reports.cleanup",
				"celeriac.schedules.nightly.cron=0 0 3 * * *", "celeriac.schedules.nightly.zone=Europe/Paris");

	@Test
	void theApiListsEachScheduleWithItsLastAndNextRuns() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			JsonNode before = DashboardApiTests.getJson(mvc, "/celeriac/api/schedules");
			assertThat(before.get("available").asBoolean()).isTrue();
			JsonNode nightly = before.get("schedules").get(0);
			assertThat(nightly.get("name").asString()).isEqualTo("nightly");
			assertThat(nightly.get("task").asString()).isEqualTo("reports.cleanup");
			assertThat(nightly.get("recurrence").asString()).isEqualTo("cron \"0 0 3 * * *\" Europe/Paris");
			assertThat(nightly.get("lastRun").isNull()).isTrue();
			assertThat(Instant.parse(nightly.get("nextRun").asString())).isAfter(Instant.now());

			context.getBean(ScheduleStore.class).claim("nightly", Instant.parse("2026-12-07T02:00:00Z"));
			JsonNode after = DashboardApiTests.getJson(mvc, "/celeriac/api/schedules").get("schedules").get(0);
			assertThat(after.get("lastRun").asString()).isEqualTo("2026-12-07T02:00:00Z");
			assertThat(after.get("lastTaskId").asString()).isEqualTo("nightly@2026-12-07T02:00:00Z");

			mvc.perform(get("/celeriac/workers.html"))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("id=\"schedules\"")));
		});
	}

	@Test
	void theActuatorEndpointListsTheSchedules() {
		this.contextRunner.run((context) -> {
			context.getBean(ScheduleStore.class).claim("nightly", Instant.parse("2026-12-07T02:00:00Z"));
			CeleriacEndpoint.CeleriacDescriptor descriptor = context.getBean(CeleriacEndpoint.class).celeriac();
			assertThat(descriptor.schedules()).singleElement().satisfies((schedule) -> {
				assertThat(schedule.name()).isEqualTo("nightly");
				assertThat(schedule.lastRun()).isEqualTo(Instant.parse("2026-12-07T02:00:00Z"));
				assertThat(schedule.nextRun()).isAfter(Instant.now());
			});
			assertThat(descriptor.backends()).containsEntry("recurring", "memory");
		});
	}

	@Test
	void withoutSchedulerTheApiSaysSo() {
		this.contextRunner.withPropertyValues("celeriac.recurring.enabled=false").run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			JsonNode view = DashboardApiTests.getJson(mvc, "/celeriac/api/schedules");
			assertThat(view.get("available").asBoolean()).isFalse();
			assertThat(context.getBean(CeleriacEndpoint.class).celeriac().schedules()).isNull();
		});
	}

}

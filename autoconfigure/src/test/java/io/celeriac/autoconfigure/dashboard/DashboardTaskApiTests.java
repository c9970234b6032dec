package io.celeriac.autoconfigure.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.monitor.MonitorAutoConfiguration;
import io.celeriac.autoconfigure.operations.CeleriacOperationsAutoConfiguration;
import io.celeriac.autoconfigure.operations.Jobs;
import io.celeriac.autoconfigure.registry.WorkerRegistryAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.task.TaskHandle;
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static io.celeriac.autoconfigure.dashboard.DashboardApiTests.getJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests of the dashboard's task pages' API, over the monitor's {@link TaskHistory} on the
 * in-memory broker, task table and result store, with real tasks run by the worker.
 *
 * @author Celeriac team
 */
class DashboardTaskApiTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
						WebMvcAutoConfiguration.class, CeleriacAutoConfiguration.class,
						ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
						MonitorAutoConfiguration.class, CeleriacOperationsAutoConfiguration.class,
						WorkerRegistryAutoConfiguration.class, DashboardAutoConfiguration.class))
		.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none",
				"celeriac.monitor.enabled=true", "celeriac.result.type=memory")
		.withBean(Jobs.class)
		.withBean(Family.class);

	@Test
	void theOverviewCountsTheTasksOfTheLastHourPerStateAndMinute() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			Jobs jobs = context.getBean(Jobs.class);
			jobs.ok(1);
			jobs.ok(2);
			jobs.ok(3);
			jobs.fail(1);
			jobs.fail(2);
			await().atMost(WAIT).untilAsserted(() -> {
				JsonNode counts = getJson(mvc, "/celeriac/api/overview").get("stateCounts");
				assertThat(counts.get("SUCCESS").asLong()).isEqualTo(3);
				assertThat(counts.get("FAILURE").asLong()).isEqualTo(2);
			});
			JsonNode overview = getJson(mvc, "/celeriac/api/overview");
			assertThat(overview.get("stateCounts").propertyNames()).containsExactly("PENDING", "STARTED", "RETRY",
					"SUCCESS", "FAILURE", "REVOKED");
			JsonNode minutes = overview.get("timeline").get("minutes");
			long success = minutes.valueStream()
				.mapToLong((minute) -> minute.get("counts").path("SUCCESS").asLong(0))
				.sum();
			assertThat(success).isEqualTo(3);
			assertThat(Instant.parse(minutes.get(0).get("start").asString()).getEpochSecond() % 60).isZero();
		});
	}

	@Test
	void tasksAreSearchedByStateNameIdAndTimeAndPagedWithACursor() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			Jobs jobs = context.getBean(Jobs.class);
			jobs.ok(1);
			jobs.fail(1);
			jobs.fail(2);
			jobs.fail(3);
			await().atMost(WAIT)
				.until(() -> getJson(mvc, "/celeriac/api/tasks?state=FAILURE").get("tasks").size() == 3);
			JsonNode failed = getJson(mvc, "/celeriac/api/tasks?state=failure");
			assertThat(failed.get("available").asBoolean()).isTrue();
			assertThat(failed.get("tasks").valueStream().map((task) -> task.get("name").asString()))
				.containsOnly("jobs.fail");
			assertThat(failed.get("next").isNull()).isTrue();

			JsonNode first = getJson(mvc, "/celeriac/api/tasks?state=FAILURE&limit=2");
			assertThat(first.get("tasks")).hasSize(2);
			String next = first.get("next").asString();
			JsonNode second = getJson(mvc, "/celeriac/api/tasks?state=FAILURE&limit=2&after=" + next);
			assertThat(second.get("tasks")).hasSize(1);
			assertThat(second.get("next").isNull()).isTrue();
			List<String> paged = List.of(first.get("tasks").get(0).get("taskId").asString(),
					first.get("tasks").get(1).get("taskId").asString(),
					second.get("tasks").get(0).get("taskId").asString());
			assertThat(paged).doesNotHaveDuplicates()
				.containsExactlyElementsOf(
						failed.get("tasks").valueStream().map((task) -> task.get("taskId").asString()).toList());

			JsonNode named = getJson(mvc, "/celeriac/api/tasks?name=jobs.ok");
			assertThat(named.get("tasks")).singleElement()
				.satisfies((task) -> assertThat(task.get("state").asString()).isEqualTo("SUCCESS"));
			String id = named.get("tasks").get(0).get("taskId").asString();
			assertThat(getJson(mvc, "/celeriac/api/tasks?id=" + id).get("tasks")).hasSize(1);
			String future = Instant.now().plus(Duration.ofHours(1)).toString();
			assertThat(getJson(mvc, "/celeriac/api/tasks?from=" + future).get("tasks")).isEmpty();
			assertThat(getJson(mvc, "/celeriac/api/tasks?to=" + future).get("tasks")).hasSize(4);
			assertThat(getJson(mvc, "/celeriac/api/tasks?to=2000-01-01T00:00").get("tasks")).isEmpty();

			mvc.perform(get("/celeriac/api/tasks?state=LOST")).andExpect(status().isBadRequest());
			mvc.perform(get("/celeriac/api/tasks?after=nonsense")).andExpect(status().isBadRequest());
			mvc.perform(get("/celeriac/api/tasks?from=yesterday")).andExpect(status().isBadRequest());
		});
	}

	@Test
	void aFailedTasksDetailHasItsArgumentsAndTraceback() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			TaskHandle<Object> failed = context.getBean(TaskClient.class)
				.send("jobs.fail", List.of(7), Map.of(), TaskOptions.defaults());
			await().atMost(WAIT)
				.until(() -> mvc.perform(get("/celeriac/api/tasks/" + failed.id()))
					.andReturn()
					.getResponse()
					.getStatus() == 200
						&& getJson(mvc, "/celeriac/api/tasks/" + failed.id()).get("state")
							.asString()
							.equals("FAILURE"));
			JsonNode task = getJson(mvc, "/celeriac/api/tasks/" + failed.id());
			assertThat(task.get("name").asString()).isEqualTo("jobs.fail");
			assertThat(task.get("args").toString()).isEqualTo("[7]");
			assertThat(task.get("exception").asString())
				.isEqualTo("java.lang.IllegalStateException: jobs.fail always fails (7)");
			assertThat(task.get("traceback").asString()).contains("IllegalStateException")
				.contains("jobs.fail always fails (7)")
				.contains("\n\tat ");
			assertThat(task.get("rootId").asString()).isEqualTo(failed.id());
			assertThat(task.get("seenAt").asString()).endsWith("Z");
			mvc.perform(get("/celeriac/api/tasks/no-such-task")).andExpect(status().isNotFound());
		});
	}

	@Test
	void aTasksDetailListsItsChildrenAndTheyPointToTheirParentAndRoot() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			TaskHandle<Object> parent = context.getBean(TaskClient.class)
				.send("family.parent", List.of(2), Map.of(), TaskOptions.defaults());
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(mvc.perform(get("/celeriac/api/tasks/" + parent.id())).andReturn().getResponse().getStatus())
					.isEqualTo(200);
				JsonNode detail = getJson(mvc, "/celeriac/api/tasks/" + parent.id());
				assertThat(detail.get("result").asInt()).isEqualTo(2);
				assertThat(detail.get("children")).hasSize(2);
			});
			JsonNode detail = getJson(mvc, "/celeriac/api/tasks/" + parent.id());
			String child = detail.get("children").get(0).get("taskId").asString();
			JsonNode childDetail = getJson(mvc, "/celeriac/api/tasks/" + child);
			assertThat(childDetail.get("name").asString()).isEqualTo("family.child");
			assertThat(childDetail.get("parentId").asString()).isEqualTo(parent.id());
			assertThat(childDetail.get("rootId").asString()).isEqualTo(parent.id());
		});
	}

	private static MockMvc mvc(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed().hasSingleBean(TaskHistory.class);
		return MockMvcBuilders.webAppContextSetup(context).build();
	}

}

package io.celeriac.autoconfigure.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.operations.CeleriacOperationsAutoConfiguration;
import io.celeriac.autoconfigure.operations.Jobs;
import io.celeriac.autoconfigure.registry.WorkerRegistryAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.broker.Delivery;
import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.protocol.ErrorKind;
import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Tests of the dashboard's pages and JSON API through Spring MVC, against the in-memory
 * broker, result store, worker registry and cache, with real tasks run by the worker.
 *
 * @author Celeriac team
 */
class DashboardApiTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
						WebMvcAutoConfiguration.class, AopAutoConfiguration.class, CeleriacAutoConfiguration.class,
						ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
						CeleriacOperationsAutoConfiguration.class, WorkerRegistryAutoConfiguration.class,
						CacheRegionAutoConfiguration.class, DashboardAutoConfiguration.class))
		.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none")
		.withBean(Jobs.class);

	@Test
	void theDashboardsPathRedirectsToItsOverviewPage() {
		run((mvc) -> {
			mvc.perform(get("/celeriac"))
				.andExpect(status().isFound())
				.andExpect(header().string("Location", "/celeriac/"));
			mvc.perform(get("/celeriac/"))
				.andExpect(status().isOk())
				.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
				.andExpect(content().string(containsString("data-page=\"overview\"")));
		});
	}

	@Test
	void everyPageItsScriptsAndTheChartLibraryAreServed() {
		run((mvc) -> {
			for (String page : List.of("index", "tasks", "task", "queues", "workers", "errors", "caches")) {
				String html = mvc.perform(get("/celeriac/" + page + ".html"))
					.andExpect(status().isOk())
					.andReturn()
					.getResponse()
					.getContentAsString();
				assertThat(html).contains("<nav id=\"nav\">").contains("<main id=\"page\" data-page=\"");
			}
			mvc.perform(get("/celeriac/dashboard.js")).andExpect(status().isOk());
			mvc.perform(get("/celeriac/dashboard.css")).andExpect(status().isOk());
			String uplot = mvc.perform(get("/celeriac/webjars/uplot/dist/uPlot.iife.min.js"))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString();
			assertThat(uplot).contains("uPlot");
		});
	}

	@Test
	void theDashboardMovesWithItsPath() {
		this.contextRunner.withPropertyValues("celeriac.dashboard.path=/ops/celeriac").run((context) -> {
			MockMvc mvc = mvc(context);
			mvc.perform(get("/ops/celeriac/api/overview")).andExpect(status().isOk());
			mvc.perform(get("/ops/celeriac/")).andExpect(status().isOk());
			mvc.perform(get("/ops/celeriac/errors.html")).andExpect(status().isOk());
			mvc.perform(get("/celeriac/api/overview")).andExpect(status().isNotFound());
		});
	}

	@Test
	void settingsTellThePagesHowOftenToRefresh() {
		run((mvc) -> {
			JsonNode settings = getJson(mvc, "/celeriac/api/settings");
			assertThat(settings.get("refreshIntervalMillis").asLong()).isEqualTo(2000);
			assertThat(settings.get("path").asString()).isEqualTo("/celeriac");
		});
	}

	@Test
	void queuesShowDepthsConsumersAndTheWorkerCanBePausedAndResumed() {
		run((mvc, context) -> {
			await().atMost(WAIT).until(() -> getJson(mvc, "/celeriac/api/workers").get("workers").size() == 1);
			JsonNode paused = postJson(mvc, "/celeriac/api/worker/pause", null);
			assertThat(paused.get("running").asBoolean()).isFalse();
			context.getBean(Jobs.class).ok(21);
			JsonNode queue = queue(getJson(mvc, "/celeriac/api/queues"), "dev-jobs");
			assertThat(queue.get("messages").asLong()).isEqualTo(1);
			assertThat(queue.get("delayed").asLong()).isZero();
			assertThat(queue.get("errorQueue").asString()).isEqualTo("dev-jobs.error");
			assertThat(getJson(mvc, "/celeriac/api/queues").get("worker").get("running").asBoolean()).isFalse();
			assertThat(postJson(mvc, "/celeriac/api/worker/resume", null).get("running").asBoolean()).isTrue();
			await().atMost(WAIT)
				.until(() -> queue(getJson(mvc, "/celeriac/api/queues"), "dev-jobs").get("messages").asLong() == 0);
			// the worker registry says who consumes the queue
			assertThat(queue(getJson(mvc, "/celeriac/api/queues"), "dev-jobs").get("consumers").asInt()).isEqualTo(1);
		});
	}

	@Test
	void workersShowHostPidQueuesAndHeartbeat() {
		run((mvc) -> {
			await().atMost(WAIT).until(() -> getJson(mvc, "/celeriac/api/workers").get("workers").size() == 1);
			JsonNode workers = getJson(mvc, "/celeriac/api/workers");
			assertThat(workers.get("available").asBoolean()).isTrue();
			JsonNode worker = workers.get("workers").get(0);
			assertThat(worker.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
			assertThat(worker.get("host").asString()).isNotBlank();
			assertThat(worker.get("queues").toString()).contains("dev-jobs");
			// timestamps are ISO 8601 in UTC
			assertThat(worker.get("heartbeat").asString()).matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z");
			assertThat(worker.get("workingOn").isArray()).isTrue();
		});
	}

	@Test
	void errorQueueMessagesAreListedWithTheirReasonAndRequeuedOrDiscardedOneBySelectionOrAll() {
		run((mvc, context) -> {
			Jobs jobs = context.getBean(Jobs.class);
			jobs.fail(1);
			jobs.fail(2);
			jobs.fail(3);
			jobs.fail(4);
			await().atMost(WAIT).until(() -> errorQueue(mvc).get("messages").asLong() == 4);
			JsonNode listed = errorQueue(mvc).get("listed");
			assertThat(listed).hasSize(4);
			JsonNode first = listed.get(0);
			assertThat(first.get("task").asString()).isEqualTo("jobs.fail");
			assertThat(first.get("reason").asString()).contains("jobs.fail always fails");
			assertThat(first.get("exception").asString()).isEqualTo("java.lang.IllegalStateException");
			assertThat(first.get("attempts").asInt()).isEqualTo(1);
			assertThat(first.get("stackTrace").asString()).contains("IllegalStateException");
			List<String> ids = listed.valueStream().map((message) -> message.get("taskId").asString()).toList();
			postJson(mvc, "/celeriac/api/worker/pause", null);

			JsonNode requeued = postJson(mvc, "/celeriac/api/error-queues/dev-jobs.error/requeue",
					Map.of("taskIds", List.of(ids.get(0))));
			assertThat(requeued.get("messages").asInt()).isEqualTo(1);
			assertThat(queue(getJson(mvc, "/celeriac/api/queues"), "dev-jobs").get("messages").asLong()).isEqualTo(1);
			JsonNode discarded = postJson(mvc, "/celeriac/api/error-queues/dev-jobs.error/discard",
					Map.of("taskIds", List.of(ids.get(1), ids.get(2))));
			assertThat(discarded.get("messages").asInt()).isEqualTo(2);
			assertThat(errorQueue(mvc).get("listed").valueStream().map((message) -> message.get("taskId").asString()))
				.containsExactly(ids.get(3));
			assertThat(postJson(mvc, "/celeriac/api/error-queues/dev-jobs.error/discard-all", null).get("messages")
				.asInt()).isEqualTo(1);
			assertThat(errorQueue(mvc).get("messages").asLong()).isZero();

			// the requeued task runs again once the worker resumes, fails again, and is
			// back
			postJson(mvc, "/celeriac/api/worker/resume", null);
			await().atMost(WAIT).until(() -> errorQueue(mvc).get("messages").asLong() == 1);
			assertThat(postJson(mvc, "/celeriac/api/error-queues/dev-jobs.error/requeue-all", null).get("messages")
				.asInt()).isEqualTo(1);
		});
	}

	@Test
	void theMonitorsErrorQueueIsListedWithItsCountsAndRequeuedToTheMonitorQueueOrDiscarded() {
		run((mvc, context) -> {
			Broker broker = context.getBean(Broker.class);
			String monitorErrorQueue = "dev-platform.fifo.error";
			for (String id : List.of("unrecorded-1", "unrecorded-2", "unrecorded-3")) {
				broker.publish(Broker.DEFAULT_EXCHANGE, monitorErrorQueue, unrecordable(id)).join();
			}
			JsonNode queues = getJson(mvc, "/celeriac/api/error-queues").get("queues");
			assertThat(queues.valueStream().map((queue) -> queue.get("name").asString())).contains("dev-jobs.error",
					monitorErrorQueue);
			JsonNode overview = getJson(mvc, "/celeriac/api/overview").get("errorQueues");
			assertThat(overview.valueStream()
				.filter((queue) -> queue.get("name").asString().equals(monitorErrorQueue))
				.map((queue) -> queue.get("messages").asLong())).containsExactly(3L);
			JsonNode monitor = errorQueue(mvc, monitorErrorQueue);
			assertThat(monitor.get("monitor").asBoolean()).isTrue();
			assertThat(errorQueue(mvc).get("monitor").asBoolean()).isFalse();
			assertThat(monitor.get("messages").asLong()).isEqualTo(3);
			assertThat(monitor.get("listed").valueStream().map((message) -> message.get("taskId").asString()))
				.containsExactly("unrecorded-1", "unrecorded-2", "unrecorded-3");
			assertThat(monitor.get("listed").get(0).get("reason").asString()).isEqualTo("a header it cannot store");

			assertThat(postJson(mvc, "/celeriac/api/error-queues/" + monitorErrorQueue + "/requeue",
					Map.of("taskIds", List.of("unrecorded-2")))
				.get("messages")
				.asInt()).isOne();
			// back to the monitor queue alone, not to a service's
			assertThat(broker.messageCount("dev-platform.fifo")).isOne();
			assertThat(broker.messageCount("dev-jobs")).isZero();
			assertThat(postJson(mvc, "/celeriac/api/error-queues/" + monitorErrorQueue + "/discard",
					Map.of("taskIds", List.of("unrecorded-1")))
				.get("messages")
				.asInt()).isOne();
			assertThat(errorQueue(mvc, monitorErrorQueue).get("listed")
				.valueStream()
				.map((message) -> message.get("taskId").asString())).containsExactly("unrecorded-3");
			assertThat(postJson(mvc, "/celeriac/api/error-queues/" + monitorErrorQueue + "/requeue-all", null)
				.get("messages")
				.asInt()).isOne();
			assertThat(broker.messageCount("dev-platform.fifo")).isEqualTo(2);
			broker.publish(Broker.DEFAULT_EXCHANGE, monitorErrorQueue, unrecordable("unrecorded-4")).join();
			assertThat(postJson(mvc, "/celeriac/api/error-queues/" + monitorErrorQueue + "/discard-all", null)
				.get("messages")
				.asInt()).isOne();
			assertThat(errorQueue(mvc, monitorErrorQueue).get("messages").asLong()).isZero();
		});
	}

	@Test
	void aPageRefreshedOftenListsAnErrorQueueAgainOnlyWhenItChanged() {
		run((mvc, context) -> {
			context.getBean(Jobs.class).fail(1);
			await().atMost(WAIT).until(() -> errorQueue(mvc).get("messages").asLong() == 1);
			for (int refresh = 0; refresh < 5; refresh++) {
				assertThat(errorQueue(mvc).get("listed")).hasSize(1);
			}
			// listed (taken and given back) once, not five times
			Delivery delivery = context.getBean(Broker.class).get("dev-jobs.error");
			assertThat(delivery).isNotNull();
			assertThat(delivery.deliveryCount()).hasValue(2);
			delivery.reject(true);
			context.getBean(Jobs.class).fail(2);
			await().atMost(WAIT).until(() -> errorQueue(mvc).get("listed").size() == 2);
		});
	}

	@Test
	void anActionOnAQueueThatIsNotAnErrorQueueOfTheApplicationIsABadRequest() {
		run((mvc) -> mvc
			.perform(post("/celeriac/api/error-queues/dev-jobs/requeue-all").contentType(MediaType.APPLICATION_JSON))
			.andExpect(status().isBadRequest())
			.andExpect(content().string(containsString("is not the error queue"))));
	}

	@Test
	void cacheRegionsShowTheirStatisticsAndCanBeInvalidated() {
		this.contextRunner.withPropertyValues("celeriac.cache.regions.short_term.expires=1m")
			.withBean(Squares.class)
			.run((context) -> {
				MockMvc mvc = mvc(context);
				Squares squares = context.getBean(Squares.class);
				squares.square(3);
				squares.square(3);
				JsonNode region = region(getJson(mvc, "/celeriac/api/caches"), "short_term");
				assertThat(region.get("hits").asLong()).isEqualTo(1);
				assertThat(region.get("misses").asLong()).isEqualTo(1);
				assertThat(region.get("stale").asLong()).isZero();
				assertThat(region.get("expires").asString()).isEqualTo("PT1M");
				postJson(mvc, "/celeriac/api/caches/short_term/invalidate", null);
				squares.square(3);
				assertThat(squares.computed()).isEqualTo(2);
				assertThat(region(getJson(mvc, "/celeriac/api/caches"), "short_term").get("misses").asLong())
					.isEqualTo(2);
				mvc.perform(post("/celeriac/api/caches/unknown/invalidate").contentType(MediaType.APPLICATION_JSON))
					.andExpect(status().isBadRequest());
			});
	}

	@Test
	void eachMissingSourceIsReportedAsUnavailable() {
		run((mvc) -> {
			assertThat(getJson(mvc, "/celeriac/api/caches").get("available").asBoolean()).isFalse();
			assertThat(getJson(mvc, "/celeriac/api/tasks").get("available").asBoolean()).isFalse();
			JsonNode overview = getJson(mvc, "/celeriac/api/overview");
			assertThat(overview.get("stateCounts").isNull()).isTrue();
			assertThat(overview.get("queues").get("available").asBoolean()).isTrue();
			// no region is configured
			mvc.perform(post("/celeriac/api/caches/short_term/invalidate").contentType(MediaType.APPLICATION_JSON))
				.andExpect(status().isBadRequest());
		});
	}

	private void run(MvcTest test) {
		this.contextRunner.run((context) -> test.run(mvc(context)));
	}

	private void run(ContextMvcTest test) {
		this.contextRunner.run((context) -> test.run(mvc(context), context));
	}

	private static MockMvc mvc(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return MockMvcBuilders.webAppContextSetup(context).build();
	}

	static JsonNode getJson(MockMvc mvc, String path) throws Exception {
		MvcResult result = mvc.perform(get(path)).andExpect(status().isOk()).andReturn();
		return JsonMapper.shared().readTree(result.getResponse().getContentAsString());
	}

	static JsonNode postJson(MockMvc mvc, String path, Object body) throws Exception {
		MvcResult result = mvc
			.perform(post(path).contentType(MediaType.APPLICATION_JSON)
				.content((body != null) ? JsonMapper.shared().writeValueAsString(body) : "{}"))
			.andExpect(status().isOk())
			.andReturn();
		return JsonMapper.shared().readTree(result.getResponse().getContentAsString());
	}

	private static JsonNode queue(JsonNode queues, String name) {
		return queues.get("queues")
			.valueStream()
			.filter((queue) -> queue.get("name").asString().equals(name))
			.findFirst()
			.orElseThrow();
	}

	private static JsonNode errorQueue(MockMvc mvc) throws Exception {
		return errorQueue(mvc, "dev-jobs.error");
	}

	private static JsonNode errorQueue(MockMvc mvc, String name) throws Exception {
		return getJson(mvc, "/celeriac/api/error-queues").get("queues")
			.valueStream()
			.filter((queue) -> queue.get("name").asString().equals(name))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * A task message as the monitor moves one it cannot record to its error queue.
	 */
	private static WireMessage unrecordable(String id) {
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		headers.put("id", id);
		headers.put("task", "jobs.add");
		headers.put(ErrorHeaders.KIND, ErrorKind.UNRECORDABLE_HEADER.name());
		headers.put(ErrorHeaders.REASON, "a header it cannot store");
		headers.put(ErrorHeaders.ROUTING_KEY, "jobs");
		return new WireMessage("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), "application/json", "utf-8", headers,
				id, null, 0, true, null);
	}

	private static JsonNode region(JsonNode regions, String name) {
		return regions.get("regions")
			.valueStream()
			.filter((region) -> region.get("name").asString().equals(name))
			.findFirst()
			.orElseThrow();
	}

	@FunctionalInterface
	interface MvcTest {

		void run(MockMvc mvc) throws Exception;

	}

	@FunctionalInterface
	interface ContextMvcTest {

		void run(MockMvc mvc, AssertableWebApplicationContext context) throws Exception;

	}

}

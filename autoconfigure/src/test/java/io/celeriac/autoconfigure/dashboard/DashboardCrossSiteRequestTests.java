package io.celeriac.autoconfigure.dashboard;

import java.time.Duration;
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
import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskOptions;
import io.celeriac.worker.TaskWorker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Tests that the dashboard's actions cannot be driven by another site's page when Spring
 * Security is not on the class path: every action refuses a cross-site form post and a
 * request without a JSON content type, and serves a same-origin JSON request.
 *
 * @author Celeriac team
 */
class DashboardCrossSiteRequestTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final List<String> ACTIONS = List.of("/celeriac/api/worker/pause", "/celeriac/api/worker/resume",
			"/celeriac/api/error-queues/dev-jobs.error/requeue", "/celeriac/api/error-queues/dev-jobs.error/discard",
			"/celeriac/api/error-queues/dev-jobs.error/requeue-all",
			"/celeriac/api/error-queues/dev-jobs.error/discard-all", "/celeriac/api/caches/short_term/invalidate");

	/**
	 * MockMvc's requests are for http://localhost (port 80).
	 */
	private static final String OWN_ORIGIN = "http://localhost";

	private static final String FOREIGN_ORIGIN = "https://evil.example";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
						WebMvcAutoConfiguration.class, AopAutoConfiguration.class, CeleriacAutoConfiguration.class,
						ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
						CeleriacOperationsAutoConfiguration.class, WorkerRegistryAutoConfiguration.class,
						CacheRegionAutoConfiguration.class, DashboardAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("org.springframework.security"))
		.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none",
				"celeriac.cache.regions.short_term.expires=1m")
		.withBean(Jobs.class);

	@Test
	void aCrossSiteFormPostToEachActionIsRefusedWithTheReason() {
		run((mvc, context) -> {
			for (String action : ACTIONS) {
				MockHttpServletResponse response = mvc
					.perform(post(action).header("Origin", FOREIGN_ORIGIN)
						.contentType(MediaType.APPLICATION_FORM_URLENCODED)
						.content("taskIds=none"))
					.andReturn()
					.getResponse();
				assertThat(response.getStatus()).as(action).isEqualTo(403);
				assertThat(response.getContentAsString()).as(action)
					.contains("\"error\"", "cross-site", "Origin: " + FOREIGN_ORIGIN, OWN_ORIGIN);
			}
		});
	}

	@Test
	void aSameOriginJsonRequestToEachActionPasses() {
		run((mvc, context) -> {
			for (String action : ACTIONS) {
				int status = status(mvc, json(post(action)).header("Origin", OWN_ORIGIN));
				assertThat(status).as(action).isEqualTo(200);
			}
			for (String action : ACTIONS) {
				int status = status(mvc, json(post(action)).header("Sec-Fetch-Site", "same-origin"));
				assertThat(status).as(action + " with Sec-Fetch-Site").isEqualTo(200);
			}
		});
	}

	@Test
	void aRefusedActionDoesNothing() {
		run((mvc, context) -> {
			Broker broker = context.getBean(Broker.class);
			context.getBean(TaskClient.class).send("jobs.missing", List.of(1), Map.of(), TaskOptions.defaults());
			await().atMost(WAIT).until(() -> broker.messageCount("dev-jobs.error") == 1);
			for (String action : ACTIONS) {
				status(mvc,
						post(action).header("Origin", FOREIGN_ORIGIN)
							.contentType(MediaType.APPLICATION_FORM_URLENCODED)
							.content("taskIds=none"));
			}
			assertThat(context.getBean(TaskWorker.class).isRunning()).isTrue();
			assertThat(broker.messageCount("dev-jobs.error")).isEqualTo(1);
		});
	}

	@Test
	void aBrowserThatSaysCrossSiteOrSameSiteIsRefusedEvenWithJson() {
		run((mvc, context) -> {
			for (String site : List.of("cross-site", "same-site", "none")) {
				MockHttpServletResponse response = mvc
					.perform(json(post("/celeriac/api/worker/pause")).header("Sec-Fetch-Site", site))
					.andReturn()
					.getResponse();
				assertThat(response.getStatus()).as(site).isEqualTo(403);
				assertThat(response.getContentAsString()).contains("Sec-Fetch-Site: " + site);
			}
			assertThat(status(mvc, json(post("/celeriac/api/worker/pause")).header("Origin", "null"))).isEqualTo(403);
			assertThat(status(mvc, json(post("/celeriac/api/worker/pause")).header("Origin", "http://localhost:8081")))
				.as("another port is another origin")
				.isEqualTo(403);
		});
	}

	@Test
	void withoutOriginAndSecFetchSiteOnlyJsonPasses() {
		run((mvc, context) -> {
			assertThat(status(mvc, json(post("/celeriac/api/worker/resume")))).isEqualTo(200);
			MockHttpServletResponse form = mvc
				.perform(post("/celeriac/api/worker/pause").contentType(MediaType.APPLICATION_FORM_URLENCODED))
				.andReturn()
				.getResponse();
			assertThat(form.getStatus()).isEqualTo(415);
			assertThat(form.getContentAsString()).contains("Content-Type: application/json");
			assertThat(status(mvc, post("/celeriac/api/worker/pause"))).as("no content type").isEqualTo(415);
			assertThat(status(mvc, post("/celeriac/api/worker/pause").contentType(MediaType.TEXT_PLAIN)))
				.as("text/plain, which a cross-site fetch may send without preflight")
				.isEqualTo(415);
			assertThat(context.getBean(TaskWorker.class).isRunning()).isTrue();
		});
	}

	@Test
	void aSameOriginRequestWithoutJsonIsRefusedToo() {
		run((mvc, context) -> assertThat(status(mvc, post("/celeriac/api/worker/pause").header("Origin", OWN_ORIGIN)
			.contentType(MediaType.MULTIPART_FORM_DATA))).isEqualTo(415));
	}

	@Test
	void readsAreNotRefused() {
		run((mvc, context) -> assertThat(status(mvc,
				get("/celeriac/api/overview").header("Origin", FOREIGN_ORIGIN).header("Sec-Fetch-Site", "cross-site")))
			.isEqualTo(200));
	}

	private void run(MvcTest test) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			test.run(MockMvcBuilders.webAppContextSetup(context).build(), context);
		});
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request) {
		return request.contentType(MediaType.APPLICATION_JSON).content("{\"taskIds\": [\"none\"]}");
	}

	private static int status(MockMvc mvc, MockHttpServletRequestBuilder request) throws Exception {
		return mvc.perform(request).andReturn().getResponse().getStatus();
	}

	@FunctionalInterface
	interface MvcTest {

		void run(MockMvc mvc, AssertableWebApplicationContext context) throws Exception;

	}

}

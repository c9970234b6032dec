package io.celeriac.autoconfigure.dashboard;

import java.util.ArrayList;
import java.util.List;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.operations.CeleriacOperationsAutoConfiguration;
import io.celeriac.autoconfigure.operations.Jobs;
import io.celeriac.autoconfigure.registry.WorkerRegistryAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Tests of the dashboard with Spring Security: every page and API URL answers 401 without
 * credentials, 403 to a user without the dashboard's role, and serves a user who has it;
 * actions need the CSRF token the pages read from their cookie.
 *
 * @author Celeriac team
 */
class DashboardSecurityTests {

	private static final List<String> PAGES = List.of("/celeriac", "/celeriac/", "/celeriac/index.html",
			"/celeriac/tasks.html", "/celeriac/task.html", "/celeriac/queues.html", "/celeriac/workers.html",
			"/celeriac/errors.html", "/celeriac/caches.html", "/celeriac/dashboard.js", "/celeriac/dashboard.css",
			"/celeriac/webjars/uplot/dist/uPlot.iife.min.js");

	private static final List<String> READS = List.of("/celeriac/api/settings", "/celeriac/api/overview",
			"/celeriac/api/tasks", "/celeriac/api/queues", "/celeriac/api/workers", "/celeriac/api/error-queues",
			"/celeriac/api/caches");

	private static final List<String> ACTIONS = List.of("/celeriac/api/worker/pause", "/celeriac/api/worker/resume",
			"/celeriac/api/error-queues/dev-jobs.error/requeue", "/celeriac/api/error-queues/dev-jobs.error/discard",
			"/celeriac/api/error-queues/dev-jobs.error/requeue-all",
			"/celeriac/api/error-queues/dev-jobs.error/discard-all", "/celeriac/api/caches/short_term/invalidate");

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class, AopAutoConfiguration.class,
				SecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class, CeleriacAutoConfiguration.class,
				ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class, WorkerAutoConfiguration.class,
				CeleriacOperationsAutoConfiguration.class, WorkerRegistryAutoConfiguration.class,
				CacheRegionAutoConfiguration.class, DashboardAutoConfiguration.class))
		.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.cache.regions.short_term.expires=1m")
		.withBean(Jobs.class)
		.withBean(UserDetailsService.class,
				() -> new InMemoryUserDetailsManager(
						User.withUsername("operator").password("{noop}secret").roles("CELERIAC").build(),
						User.withUsername("visitor").password("{noop}secret").roles("USER").build()));

	@Test
	void everyDashboardUrlAnswers401WithoutCredentials() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			// with a valid CSRF token, so that actions fail for want of credentials
			// (without
			// one they answer 403 before authentication)
			Cookie csrf = csrfCookie(mvc, "operator");
			for (MockHttpServletRequestBuilder request : everyRequest()) {
				withCsrf(request, csrf);
				int status = mvc.perform(request).andReturn().getResponse().getStatus();
				assertThat(status).as(describe(request)).isEqualTo(401);
			}
			assertThat(
					mvc.perform(get("/celeriac/api/overview")).andReturn().getResponse().getHeader("WWW-Authenticate"))
				.startsWith("Basic");
		});
	}

	@Test
	void everyDashboardUrlAnswers403ToAUserWithoutTheRole() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			Cookie csrf = csrfCookie(mvc, "operator");
			for (MockHttpServletRequestBuilder request : everyRequest()) {
				request.with(httpBasic("visitor", "secret"));
				withCsrf(request, csrf);
				int status = mvc.perform(request).andReturn().getResponse().getStatus();
				assertThat(status).as(describe(request)).isEqualTo(403);
			}
		});
	}

	@Test
	void aUserWithTheRoleReadsEveryPageAndTheApi() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			for (String page : PAGES) {
				int status = mvc.perform(get(page).with(httpBasic("operator", "secret")))
					.andReturn()
					.getResponse()
					.getStatus();
				assertThat(status).as(page).isEqualTo(page.equals("/celeriac") ? 302 : 200);
			}
			for (String read : READS) {
				int status = mvc.perform(get(read).with(httpBasic("operator", "secret")))
					.andReturn()
					.getResponse()
					.getStatus();
				assertThat(status).as(read).isEqualTo(200);
			}
		});
	}

	@Test
	void actionsNeedTheCsrfTokenThePagesReadFromTheirCookie() {
		this.contextRunner.run((context) -> {
			MockMvc mvc = mvc(context);
			for (String action : ACTIONS) {
				int status = mvc.perform(action(action).with(httpBasic("operator", "secret")))
					.andReturn()
					.getResponse()
					.getStatus();
				assertThat(status).as(action + " without a CSRF token").isEqualTo(403);
			}
			Cookie csrf = csrfCookie(mvc, "operator");
			for (String action : ACTIONS) {
				MockHttpServletRequestBuilder request = action(action).with(httpBasic("operator", "secret"));
				withCsrf(request, csrf);
				int status = mvc.perform(request).andReturn().getResponse().getStatus();
				assertThat(status).as(action).isEqualTo(200);
			}
		});
	}

	@Test
	void theRoleIsConfigurable() {
		this.contextRunner.withPropertyValues("celeriac.dashboard.role=OPS").run((context) -> {
			MockMvc mvc = mvc(context);
			int status = mvc.perform(get("/celeriac/api/overview").with(httpBasic("operator", "secret")))
				.andReturn()
				.getResponse()
				.getStatus();
			assertThat(status).isEqualTo(403);
		});
	}

	private static List<MockHttpServletRequestBuilder> everyRequest() {
		List<MockHttpServletRequestBuilder> requests = new ArrayList<>();
		PAGES.forEach((page) -> requests.add(get(page)));
		READS.forEach((read) -> requests.add(get(read)));
		ACTIONS.forEach((action) -> requests.add(action(action)));
		return requests;
	}

	private static MockHttpServletRequestBuilder action(String path) {
		return post(path).contentType(MediaType.APPLICATION_JSON).content("{\"taskIds\": [\"none\"]}");
	}

	private static String describe(MockHttpServletRequestBuilder request) {
		var built = request.buildRequest(new MockServletContext());
		return built.getMethod() + " " + built.getRequestURI();
	}

	/**
	 * Loads a page as a browser would, and returns the CSRF cookie the response sets.
	 */
	private static Cookie csrfCookie(MockMvc mvc, String user) throws Exception {
		Cookie cookie = mvc.perform(get("/celeriac/").with(httpBasic(user, "secret")))
			.andReturn()
			.getResponse()
			.getCookie("XSRF-TOKEN");
		assertThat(cookie).as("the XSRF-TOKEN cookie").isNotNull();
		assertThat(cookie.isHttpOnly()).as("readable by the pages' script").isFalse();
		return cookie;
	}

	private static void withCsrf(MockHttpServletRequestBuilder request, Cookie csrf) {
		request.cookie(csrf).header("X-XSRF-TOKEN", csrf.getValue());
	}

	private static MockMvc mvc(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
	}

}

package io.celeriac.autoconfigure.dashboard;

import io.celeriac.autoconfigure.CeleriacAutoConfiguration;
import io.celeriac.autoconfigure.operations.CeleriacOperationsAutoConfiguration;
import io.celeriac.autoconfigure.registry.WorkerRegistryAutoConfiguration;
import io.celeriac.autoconfigure.result.ResultStoreAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.dashboard.CrossSiteRequestInterceptor;
import io.celeriac.dashboard.DashboardApiController;
import io.celeriac.dashboard.DashboardPageController;
import io.celeriac.dashboard.DashboardSettings;
import io.celeriac.dashboard.DashboardWebMvcConfigurer;
import io.celeriac.dashboard.TaskViews;
import io.celeriac.errorqueue.ErrorQueueService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DashboardAutoConfiguration}: when it is on, what it registers, and
 * what it leaves to the user.
 *
 * @author Celeriac team
 */
@ExtendWith(OutputCaptureExtension.class)
class DashboardAutoConfigurationTests {

	private static final AutoConfigurations CELERIAC = AutoConfigurations.of(JacksonAutoConfiguration.class,
			HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
			CeleriacAutoConfiguration.class, ResultStoreAutoConfiguration.class, TaskAutoConfiguration.class,
			WorkerAutoConfiguration.class, CeleriacOperationsAutoConfiguration.class,
			WorkerRegistryAutoConfiguration.class, DashboardAutoConfiguration.class);

	private static final AutoConfigurations SECURITY = AutoConfigurations.of(SecurityAutoConfiguration.class,
			UserDetailsServiceAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CELERIAC);

	@Test
	void isOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(DashboardApiController.class)
			.doesNotHaveBean(DashboardPageController.class)
			.doesNotHaveBean(DashboardWebMvcConfigurer.class));
	}

	@Test
	void isOnWithThePropertyAndReadsItsSettings() {
		this.contextRunner
			.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none",
					"celeriac.dashboard.refresh-interval=5s", "celeriac.dashboard.page-size=20")
			.run((context) -> {
				assertThat(context).hasSingleBean(DashboardApiController.class)
					.hasSingleBean(DashboardPageController.class)
					.hasSingleBean(DashboardWebMvcConfigurer.class)
					.hasSingleBean(ErrorQueueService.class);
				assertThat(context.getBean(DashboardSettings.class))
					.isEqualTo(new DashboardSettings("/celeriac", 5000, 20));
			});
	}

	@Test
	void isNotInAnApplicationThatIsNotAWebApplication() {
		new ApplicationContextRunner().withConfiguration(CELERIAC)
			.withPropertyValues("celeriac.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardApiController.class));
	}

	@Test
	void needsSpringMvc() {
		this.contextRunner.withPropertyValues("celeriac.dashboard.enabled=true")
			.withClassLoader(new FilteredClassLoader(WebMvcConfigurer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardApiController.class));
	}

	@Test
	void needsTheDashboardModule() {
		this.contextRunner.withPropertyValues("celeriac.dashboard.enabled=true")
			.withClassLoader(new FilteredClassLoader("io.celeriac.dashboard"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(DashboardApiController.class)
				.doesNotHaveBean(DashboardSettings.class));
	}

	@Test
	void aUserBeanWins() {
		TaskViews mine = new TaskViews(null, 5);
		this.contextRunner.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none")
			.withBean("myTaskViews", TaskViews.class, () -> mine)
			.run((context) -> assertThat(context.getBean(TaskViews.class)).isSameAs(mine));
	}

	@Test
	void aPathThatEndsWithASlashIsRefused() {
		this.contextRunner.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.path=/ops/")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("celeriac.dashboard.path"));
	}

	@Test
	void withSpringSecurityTheDashboardHasItsOwnFilterChainBesideBootsDefault() {
		this.contextRunner.withConfiguration(SECURITY)
			.withPropertyValues("celeriac.dashboard.enabled=true")
			.run((context) -> {
				assertThat(context).hasBean("celeriacDashboardSecurityFilterChain");
				// the dashboard's chain does not take the rest of the application's
				// security away
				assertThat(context).hasBean("defaultSecurityFilterChain");
			});
	}

	@Test
	void aUserFilterChainNamedLikeTheDashboardsWins() {
		SecurityFilterChain mine = new DefaultSecurityFilterChain(
				(request) -> request.getRequestURI().startsWith("/celeriac"));
		this.contextRunner.withConfiguration(SECURITY)
			.withPropertyValues("celeriac.dashboard.enabled=true")
			.withBean("celeriacDashboardSecurityFilterChain", SecurityFilterChain.class, () -> mine)
			.run((context) -> assertThat(context.getBean("celeriacDashboardSecurityFilterChain")).isSameAs(mine));
	}

	@Test
	void withoutSpringSecurityThereIsNoFilterChain() {
		this.contextRunner.withConfiguration(SECURITY)
			.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none")
			.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DashboardApiController.class)
				.doesNotHaveBean(SecurityFilterChain.class));
	}

	@Test
	void withoutSpringSecurityStartupFailsUnlessTheSwitchSaysTheDashboardIsOpen() {
		this.contextRunner.withConfiguration(SECURITY)
			.withPropertyValues("celeriac.dashboard.enabled=true")
			.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				assertThat(failure).rootCause().isInstanceOf(DashboardNotProtectedException.class);
				FailureAnalysis analysis = new DashboardNotProtectedFailureAnalyzer().analyze(failure);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("celeriac.dashboard.enabled=true", "/celeriac/",
						"Spring Security");
				assertThat(analysis.getAction()).contains("celeriac.dashboard.security=none",
						"spring-boot-starter-security", "celeriac.dashboard.enabled=false");
			});
	}

	@Test
	void springSecurityOnTheClassPathWithoutItsWebSecurityProtectsNothingSoStartupFails() {
		this.contextRunner.withPropertyValues("celeriac.dashboard.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(DashboardNotProtectedException.class)
				.hasMessageContaining("celeriac.dashboard.security"));
	}

	@Test
	void theExplicitSwitchStartsTheDashboardWithAWarningThatItIsOpen(CapturedOutput output) {
		this.contextRunner.withConfiguration(SECURITY)
			.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none")
			.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(UnprotectedDashboard.class);
				assertThat(output).containsPattern("WARN .*The Celeriac dashboard at /celeriac/ is open to anyone"
						+ " who can reach this application \\(celeriac.dashboard.security=none");
			});
	}

	@Test
	void withSpringSecurityNoWarningIsLogged(CapturedOutput output) {
		this.contextRunner.withConfiguration(SECURITY)
			.withPropertyValues("celeriac.dashboard.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(UnprotectedDashboard.class);
				assertThat(output).doesNotContain("is open to anyone");
			});
	}

	@Test
	void withSpringSecurityTheSwitchNoneLeavesTheDashboardToTheApplicationsOwnChains() {
		this.contextRunner.withConfiguration(SECURITY)
			.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("celeriacDashboardSecurityFilterChain")
				.hasBean("defaultSecurityFilterChain"));
	}

	@Test
	void aUserCrossSiteRequestInterceptorWins() {
		CrossSiteRequestInterceptor mine = new CrossSiteRequestInterceptor();
		this.contextRunner.withPropertyValues("celeriac.dashboard.enabled=true", "celeriac.dashboard.security=none")
			.withBean("myInterceptor", CrossSiteRequestInterceptor.class, () -> mine)
			.run((context) -> assertThat(context).getBean(CrossSiteRequestInterceptor.class).isSameAs(mine));
	}

}

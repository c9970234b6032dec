package io.celeriac.autoconfigure.dashboard;

import java.time.Clock;

import io.celeriac.autoconfigure.task.BrokerProperties;
import io.celeriac.autoconfigure.cache.CacheRegionAutoConfiguration;
import io.celeriac.autoconfigure.monitor.MonitorAutoConfiguration;
import io.celeriac.autoconfigure.operations.CeleriacOperationsAutoConfiguration;
import io.celeriac.autoconfigure.registry.WorkerRegistryAutoConfiguration;
import io.celeriac.autoconfigure.task.TaskAutoConfiguration;
import io.celeriac.autoconfigure.worker.WorkerAutoConfiguration;
import io.celeriac.broker.Broker;
import io.celeriac.cache.CacheRegions;
import io.celeriac.dashboard.CacheViews;
import io.celeriac.dashboard.CrossSiteRequestInterceptor;
import io.celeriac.dashboard.CsrfCookieFilter;
import io.celeriac.dashboard.DashboardApiController;
import io.celeriac.dashboard.DashboardPageController;
import io.celeriac.dashboard.DashboardSettings;
import io.celeriac.dashboard.DashboardWebMvcConfigurer;
import io.celeriac.dashboard.ErrorQueueViews;
import io.celeriac.dashboard.OverviewViews;
import io.celeriac.dashboard.QueueViews;
import io.celeriac.dashboard.ScheduleViews;
import io.celeriac.dashboard.TaskViews;
import io.celeriac.dashboard.WorkerViews;
import io.celeriac.monitor.TaskHistory;
import io.celeriac.operations.QueueInspector;
import io.celeriac.registry.WorkerRegistry;
import io.celeriac.schedule.RecurringTaskScheduler;
import io.celeriac.topology.Topology;
import io.celeriac.errorqueue.ErrorQueueService;
import io.celeriac.worker.TaskWorker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the Celeriac dashboard, on when
 * {@code celeriac.dashboard.enabled=true} in a Spring MVC application: pages and a JSON
 * API under {@code celeriac.dashboard.path} that read the task history, the queues, the
 * worker registry, the error queues and the cache regions (each when the application has
 * it). With Spring Security on the class path, a {@link SecurityFilterChain} requires
 * {@code celeriac.dashboard.role} for every dashboard URL; without it the application
 * does not start unless {@code celeriac.dashboard.security=none} says that open pages are
 * meant. With or without Spring Security, actions must be same-origin JSON requests
 * ({@link CrossSiteRequestInterceptor}).
 *
 * @author Celeriac team
 */
@AutoConfiguration(
		after = { TaskAutoConfiguration.class, WorkerAutoConfiguration.class, MonitorAutoConfiguration.class,
				CeleriacOperationsAutoConfiguration.class, WorkerRegistryAutoConfiguration.class,
				CacheRegionAutoConfiguration.class },
		afterName = { "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
				"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebMvcConfigurer.class, DashboardApiController.class })
@ConditionalOnBooleanProperty("celeriac.dashboard.enabled")
@Import({ DashboardAutoConfiguration.Security.class, DashboardAutoConfiguration.Unprotected.class })
@EnableConfigurationProperties({ BrokerProperties.class, DashboardProperties.class })
public final class DashboardAutoConfiguration {

	private static final Log logger = LogFactory.getLog(DashboardAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	DashboardSettings celeriacDashboardSettings(DashboardProperties dashboard) {
		return new DashboardSettings(path(dashboard), dashboard.getRefreshInterval().toMillis(),
				dashboard.getPageSize());
	}

	@Bean
	@ConditionalOnMissingBean
	CrossSiteRequestInterceptor celeriacDashboardCrossSiteRequestInterceptor() {
		return new CrossSiteRequestInterceptor();
	}

	@Bean
	@ConditionalOnMissingBean(name = "celeriacDashboardWebMvcConfigurer")
	DashboardWebMvcConfigurer celeriacDashboardWebMvcConfigurer(DashboardSettings settings,
			CrossSiteRequestInterceptor crossSite) {
		return new DashboardWebMvcConfigurer(settings.path(), crossSite);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskViews celeriacDashboardTaskViews(ObjectProvider<TaskHistory> history, DashboardSettings settings) {
		return new TaskViews(history.getIfAvailable(), settings.pageSize());
	}

	@Bean
	@ConditionalOnMissingBean
	QueueViews celeriacDashboardQueueViews(ObjectProvider<QueueInspector> inspector, ObjectProvider<Broker> broker,
			ObjectProvider<TaskWorker> worker, ObjectProvider<WorkerRegistry> workers) {
		return new QueueViews(inspector.getIfAvailable(), broker.getIfAvailable(), worker.getIfAvailable(),
				workers.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerViews celeriacDashboardWorkerViews(ObjectProvider<WorkerRegistry> workers) {
		return new WorkerViews(workers.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	ErrorQueueViews celeriacDashboardErrorQueueViews(ObjectProvider<QueueInspector> inspector,
			ObjectProvider<ErrorQueueService> operations, DashboardSettings settings) {
		return new ErrorQueueViews(inspector.getIfAvailable(), operations.getIfAvailable(), settings.pageSize());
	}

	@Bean
	@ConditionalOnMissingBean
	CacheViews celeriacDashboardCacheViews(ObjectProvider<CacheRegions> cache) {
		return new CacheViews(cache.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	ScheduleViews celeriacDashboardScheduleViews(ObjectProvider<RecurringTaskScheduler> scheduler) {
		return new ScheduleViews(scheduler.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	OverviewViews celeriacDashboardOverviewViews(TaskViews tasks, QueueViews queues, WorkerViews workers) {
		return new OverviewViews(tasks, queues, workers, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardApiController celeriacDashboardApiController(DashboardSettings settings, OverviewViews overview,
			TaskViews tasks, QueueViews queues, WorkerViews workers, ErrorQueueViews errorQueues, CacheViews caches) {
		return new DashboardApiController(settings, overview, tasks, queues, workers, errorQueues, caches);
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardPageController celeriacDashboardPageController() {
		return new DashboardPageController();
	}

	static String path(DashboardProperties dashboard) {
		String path = dashboard.getPath();
		if (!path.startsWith("/") || path.endsWith("/") || path.contains("*") || path.contains("{")) {
			throw new InvalidConfigurationPropertyValueException("celeriac.dashboard.path", path,
					"The dashboard's path starts with a slash and does not end with one, e.g. /celeriac");
		}
		return path;
	}

	/**
	 * Requires the dashboard role for every dashboard URL, with HTTP Basic for the
	 * browser and a CSRF token in a cookie that the pages send back with each
	 * {@code POST}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class })
	@ConditionalOnBean(HttpSecurity.class)
	@Conditional(OnSpringSecurityChosen.class)
	static class Security {

		/**
		 * The order of the dashboard's filter chain: before Spring Boot's default chains,
		 * which match every request.
		 */
		static final int ORDER = Ordered.LOWEST_PRECEDENCE - 20;

		@Bean
		@Order(ORDER)
		@ConditionalOnMissingBean(name = "celeriacDashboardSecurityFilterChain")
		SecurityFilterChain celeriacDashboardSecurityFilterChain(HttpSecurity http, DashboardSettings settings,
				DashboardProperties properties) {
			String path = settings.path();
			String role = properties.getRole();
			http.securityMatcher(path, path + "/**")
				.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole(role))
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.spa())
				.addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class);
			return http.build();
		}

	}

	/**
	 * Without Spring Security's web security nothing authenticates the dashboard: stops
	 * the application unless {@code celeriac.dashboard.security=none} says that this is
	 * meant, and then warns.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(type = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
	static class Unprotected {

		@Bean
		@ConditionalOnMissingBean
		UnprotectedDashboard celeriacUnprotectedDashboard(DashboardSettings settings, DashboardProperties properties) {
			if (properties.getSecurity() != DashboardSecurity.NONE) {
				throw new DashboardNotProtectedException(settings.path());
			}
			logger.warn("The Celeriac dashboard at " + settings.path() + "/ is open to anyone who can reach this "
					+ "application (celeriac.dashboard.security=none, no Spring Security): its pages show task "
					+ "arguments and results, and its actions requeue and discard messages. Bind the application to "
					+ "a private address (server.address) or put an authenticating proxy in front of it.");
			return new UnprotectedDashboard(settings.path());
		}

	}

	/**
	 * Matches unless {@code celeriac.dashboard.security=none}.
	 */
	static final class OnSpringSecurityChosen extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			DashboardSecurity security = Binder.get(context.getEnvironment())
				.bind("celeriac.dashboard.security", DashboardSecurity.class)
				.orElse(DashboardSecurity.SPRING_SECURITY);
			return (security == DashboardSecurity.SPRING_SECURITY)
					? ConditionOutcome.match("celeriac.dashboard.security is spring-security")
					: ConditionOutcome.noMatch("celeriac.dashboard.security is " + security);
		}

	}

}

package io.celeriac.autoconfigure.dashboard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The dashboard: web pages and a JSON API, served by this application's Spring MVC, to
 * watch and operate tasks, queues, workers, error queues and cache regions.
 * <p>
 * Bound to {@code celeriac.dashboard.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.dashboard")
public class DashboardProperties {

	/**
	 * Whether to serve the dashboard.
	 */
	private boolean enabled;

	/**
	 * Path the dashboard is served under (pages at <path>/, the JSON API at
	 * <path>/api/...). Starts with a slash, does not end with one.
	 */
	private String path = "/celeriac";

	/**
	 * How often the pages ask the API for fresh figures.
	 */
	private Duration refreshInterval = Duration.ofSeconds(2);

	/**
	 * Role a user needs to see the dashboard when Spring Security is on the class path
	 * (without the ROLE_ prefix).
	 */
	private String role = "CELERIAC";

	/**
	 * Who protects the dashboard: 'spring-security' requires the role through Spring
	 * Security and refuses to start without it; 'none' registers no filter chain of
	 * Celeriac's, so that without Spring Security the pages and actions are served
	 * without authentication (a warning says so), for an application bound to a private
	 * address or behind an authenticating proxy.
	 */
	private DashboardSecurity security = DashboardSecurity.SPRING_SECURITY;

	/**
	 * How many tasks a page of the task search shows, and how many messages of each error
	 * queue the error-queue page lists.
	 */
	private int pageSize = 50;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	public String getRole() {
		return this.role;
	}

	public void setRole(String role) {
		this.role = role;
	}

	public DashboardSecurity getSecurity() {
		return this.security;
	}

	public void setSecurity(DashboardSecurity security) {
		this.security = security;
	}

	public int getPageSize() {
		return this.pageSize;
	}

	public void setPageSize(int pageSize) {
		this.pageSize = pageSize;
	}

}

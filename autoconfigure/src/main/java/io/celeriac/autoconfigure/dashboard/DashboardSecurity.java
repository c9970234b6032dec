package io.celeriac.autoconfigure.dashboard;

/**
 * Who protects the dashboard's pages and actions ({@code celeriac.dashboard.security}).
 * The dashboard shows task arguments and results and can requeue, discard, pause and
 * invalidate, so serving it without authentication has to be asked for.
 *
 * @author Celeriac team
 */
public enum DashboardSecurity {

	/**
	 * Spring Security requires {@code celeriac.dashboard.role} for every dashboard URL;
	 * without Spring Security's web security the application does not start.
	 */
	SPRING_SECURITY,

	/**
	 * Celeriac registers no filter chain for the dashboard: without Spring Security its
	 * pages and actions are open to anyone who reaches the application (a warning says so
	 * at startup); with Spring Security, the application's own filter chains decide. For
	 * an application bound to a private address or behind an authenticating proxy.
	 */
	NONE

}

package io.celeriac.autoconfigure.dashboard;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup stopped because the dashboard would be served without
 * authentication, and names the switches that decide.
 *
 * @author Celeriac team
 */
class DashboardNotProtectedFailureAnalyzer extends AbstractFailureAnalyzer<DashboardNotProtectedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DashboardNotProtectedException cause) {
		String description = "The Celeriac dashboard is enabled (celeriac.dashboard.enabled=true) at " + cause.getPath()
				+ "/, but Spring Security's web security is not present to require "
				+ "celeriac.dashboard.role. Its pages show task arguments and results, and its actions requeue and "
				+ "discard error-queue messages, pause the worker and invalidate cache regions: anyone who can reach "
				+ "this application could use them.";
		String action = "Do one of: add Spring Security (spring-boot-starter-security) so that the dashboard "
				+ "requires celeriac.dashboard.role; or set celeriac.dashboard.security=none to serve the dashboard "
				+ "without authentication (bind the application to a private address with server.address, or put it "
				+ "behind an authenticating proxy); or set celeriac.dashboard.enabled=false.";
		return new FailureAnalysis(description, action, cause);
	}

}

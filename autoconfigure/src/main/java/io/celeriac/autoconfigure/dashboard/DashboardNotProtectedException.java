package io.celeriac.autoconfigure.dashboard;

/**
 * Thrown at startup when the dashboard is enabled, Spring Security's web security is not
 * there to require the dashboard's role, and {@code celeriac.dashboard.security=none}
 * does not say that open pages are meant.
 *
 * @author Celeriac team
 */
public class DashboardNotProtectedException extends RuntimeException {

	private final String path;

	/**
	 * Creates the exception.
	 * @param path the dashboard's path
	 */
	public DashboardNotProtectedException(String path) {
		super("The Celeriac dashboard at " + path + "/ would be open to anyone who can reach this application: "
				+ "Spring Security's web security is not present to require celeriac.dashboard.role, and "
				+ "celeriac.dashboard.security is not set to none");
		this.path = path;
	}

	/**
	 * Returns the dashboard's path.
	 * @return the path
	 */
	public String getPath() {
		return this.path;
	}

}

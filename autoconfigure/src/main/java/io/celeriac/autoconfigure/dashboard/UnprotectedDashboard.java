package io.celeriac.autoconfigure.dashboard;

/**
 * The dashboard served without authentication, because Spring Security's web security is
 * absent and {@code celeriac.dashboard.security=none} says that this is meant. The
 * auto-configuration creates it, or stops the application when the switch is not set.
 *
 * @param path the dashboard's path, e.g. {@code /celeriac}
 * @author Celeriac team
 */
public record UnprotectedDashboard(String path) {

}

package io.celeriac.dashboard;

/**
 * What the dashboard's pages need to know about its configuration.
 *
 * @param path the path the dashboard is served under
 * @param refreshIntervalMillis how often the pages refresh, in milliseconds
 * @param pageSize how many tasks a search page shows
 * @author Celeriac team
 */
public record DashboardSettings(String path, long refreshIntervalMillis, int pageSize) {

}

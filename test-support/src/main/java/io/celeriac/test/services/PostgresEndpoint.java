package io.celeriac.test.services;

/**
 * Where a test's PostgreSQL database answers, and how to log in.
 *
 * @param jdbcUrl the JDBC URL of the database
 * @param username the user name
 * @param password the password (empty for trust authentication)
 * @author Celeriac team
 */
public record PostgresEndpoint(String jdbcUrl, String username, String password) {

	@Override
	public String toString() {
		return "PostgresEndpoint[" + this.username + "@" + this.jdbcUrl + "]";
	}

}

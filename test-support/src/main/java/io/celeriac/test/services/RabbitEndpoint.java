package io.celeriac.test.services;

/**
 * Where a test's RabbitMQ broker answers, and how to log in.
 *
 * @param host the host name or address
 * @param port the AMQP port
 * @param username the user name
 * @param password the password
 * @param virtualHost the virtual host
 * @author Celeriac team
 */
public record RabbitEndpoint(String host, int port, String username, String password, String virtualHost) {

	@Override
	public String toString() {
		return "RabbitEndpoint[" + this.username + "@" + this.host + ":" + this.port + this.virtualHost + "]";
	}

}

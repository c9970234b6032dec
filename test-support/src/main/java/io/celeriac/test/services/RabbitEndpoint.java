package io.celeriac.test.services;

import com.rabbitmq.client.ConnectionFactory;

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

	/**
	 * Returns a RabbitMQ client connection factory for this endpoint.
	 * @return a new connection factory
	 */
	public ConnectionFactory connectionFactory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(this.host);
		factory.setPort(this.port);
		factory.setUsername(this.username);
		factory.setPassword(this.password);
		factory.setVirtualHost(this.virtualHost);
		return factory;
	}

	@Override
	public String toString() {
		return "RabbitEndpoint[" + this.username + "@" + this.host + ":" + this.port + this.virtualHost + "]";
	}

}

package io.celeriac.broker.rabbit;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AddressResolver;
import com.rabbitmq.client.impl.CredentialsProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The connection a subscription's consumers use: a connection of its own, opened with the
 * application's connection settings (credentials, virtual host, TLS, heartbeat) to the
 * node the application's connection is on, whose deliveries the RabbitMQ client runs on
 * the subscription's own threads.
 * <p>
 * Task bodies run on the thread the client hands a delivery to, with no switch to a
 * thread of the listener container's; on the application's connection that thread would
 * come from its shared consumer pool (twice the processors by default), so a worker's
 * concurrency would depend on the application's connection factory and a long task would
 * hold up the application's other consumers.
 *
 * @author Celeriac team
 */
final class ConsumerConnections implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ConsumerConnections.class);

	private final ConnectionFactory factory;

	private final @Nullable CachingConnectionFactory own;

	private final @Nullable ApplicationNode node;

	/**
	 * Prepares the connection, opened when first asked for.
	 * @param application the application's connection factory
	 * @param threads the threads the consumers' deliveries run on
	 * @param name the connection's name, shown by RabbitMQ
	 * @param timeout how long connecting, each request on the connection (consume,
	 * cancel, close a channel) and closing it may take, at most
	 */
	ConsumerConnections(ConnectionFactory application, ExecutorService threads, String name, Duration timeout) {
		if (!(application instanceof AbstractConnectionFactory settings)) {
			logger.warn("Connection factory " + application.getClass().getName() + " does not expose its RabbitMQ "
					+ "settings: the consumers of '" + name + "' run on its connection's threads, so their "
					+ "concurrency is bounded by that connection's consumer threads");
			this.factory = application;
			this.own = null;
			this.node = null;
			return;
		}
		// a copy: Spring AMQP turns the client's automatic recovery off on the factory
		// it is given, which must not change the application's
		com.rabbitmq.client.ConnectionFactory applicationClient = settings.getRabbitConnectionFactory();
		com.rabbitmq.client.ConnectionFactory client = applicationClient.clone();
		// the credentials the application's factory holds at each connect: a password
		// changed at runtime is used by the next connection
		client.setCredentialsProvider(new CurrentCredentials(applicationClient));
		// the listener container connects again by itself
		client.setAutomaticRecoveryEnabled(false);
		int bound = (int) timeout.toMillis();
		if (client.getConnectionTimeout() <= 0 || client.getConnectionTimeout() > bound) {
			client.setConnectionTimeout(bound);
		}
		if (client.getChannelRpcTimeout() <= 0 || client.getChannelRpcTimeout() > bound) {
			client.setChannelRpcTimeout(bound);
		}
		this.node = new ApplicationNode(application);
		CachingConnectionFactory own = new CachingConnectionFactory(client);
		own.setAddressResolver(this.node);
		own.setExecutor(threads);
		own.setConnectionNameStrategy((factory) -> name);
		own.setCloseTimeout(bound);
		this.own = own;
		this.factory = own;
	}

	/**
	 * Returns the factory the consumers take their connection from.
	 * @return the factory
	 */
	ConnectionFactory factory() {
		return this.factory;
	}

	/**
	 * Closes the connection, which gives back every delivery not yet acknowledged on it,
	 * and keeps it closed: an acknowledgement that comes later does not open it again.
	 */
	@Override
	public void close() {
		if (this.node != null) {
			this.node.closed = true;
		}
		if (this.own != null) {
			this.own.destroy();
		}
	}

	/**
	 * The user name and password the application's client factory holds now.
	 */
	private record CurrentCredentials(
			com.rabbitmq.client.ConnectionFactory application) implements CredentialsProvider {

		@Override
		public String getUsername() {
			return this.application.getUsername();
		}

		@Override
		public String getPassword() {
			return this.application.getPassword();
		}

	}

	/**
	 * The node the application's connection is on, asked anew at each connect: the
	 * application's factory keeps its own addresses and fails over between them.
	 */
	private static final class ApplicationNode implements AddressResolver {

		private final ConnectionFactory application;

		private volatile boolean closed;

		ApplicationNode(ConnectionFactory application) {
			this.application = application;
		}

		@Override
		public List<Address> getAddresses() {
			if (this.closed) {
				throw new AmqpConnectException(new IllegalStateException("The consumers' connection is closed"));
			}
			// given back at once: with the application's factory caching connections, the
			// address is all that is wanted from it
			try (Connection connection = this.application.createConnection()) {
				return List
					.of(new Address(hostOf(connection.getDelegate().getAddress()), connection.getDelegate().getPort()));
			}
		}

		/**
		 * The name the application connected with, which TLS verifies the certificate
		 * against, or the literal address it connected to; never a reverse lookup.
		 */
		private static String hostOf(InetAddress address) {
			String text = address.toString();
			int slash = text.indexOf('/');
			return (slash > 0) ? text.substring(0, slash) : address.getHostAddress();
		}

		@Override
		public String toString() {
			return "the node of the application's connection";
		}

	}

}

package io.celeriac.broker.rabbit;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.AddressResolver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Makes the connection a subscription's consumers use: a connection of its own, opened
 * with the application's connection settings (credentials, virtual host, TLS, heartbeat),
 * to the node the application's connection is on, whose deliveries the RabbitMQ client
 * runs on the subscription's own threads.
 * <p>
 * Task bodies run on the thread the client hands a delivery to, with no switch to a
 * thread of the listener container's; on the application's connection that thread would
 * come from its shared consumer pool (twice the processors by default), so a worker's
 * concurrency would depend on the application's connection factory and a long task would
 * hold up the application's other consumers.
 *
 * @author Celeriac team
 */
final class ConsumerConnections {

	private static final Log logger = LogFactory.getLog(ConsumerConnections.class);

	private ConsumerConnections() {
	}

	/**
	 * Makes a connection factory whose one connection dispatches on the given threads.
	 * @param application the application's connection factory
	 * @param threads the threads the consumers' deliveries run on
	 * @param name the connection's name, shown by RabbitMQ
	 * @param closeTimeout how long closing the connection waits for RabbitMQ
	 * @return the factory, which the caller destroys; the application's own factory when
	 * it does not expose its RabbitMQ settings
	 */
	static ConnectionFactory create(ConnectionFactory application, ExecutorService threads, String name,
			Duration closeTimeout) {
		if (!(application instanceof AbstractConnectionFactory settings)) {
			logger.warn("Connection factory " + application.getClass().getName() + " does not expose its RabbitMQ "
					+ "settings: the consumers of '" + name + "' run on its connection's threads, so their "
					+ "concurrency is bounded by that connection's consumer threads");
			return application;
		}
		CachingConnectionFactory own = new CachingConnectionFactory(settings.getRabbitConnectionFactory());
		own.setAddressResolver(new ApplicationNode(application));
		own.setExecutor(threads);
		own.setConnectionNameStrategy((factory) -> name);
		own.setCloseTimeout((int) closeTimeout.toMillis());
		return own;
	}

	/**
	 * The node the application's connection is on, asked anew at each connect: the
	 * application's factory keeps its own addresses and fails over between them.
	 */
	private record ApplicationNode(ConnectionFactory application) implements AddressResolver {

		@Override
		public List<Address> getAddresses() {
			Connection connection = this.application.createConnection();
			return List
				.of(new Address(hostOf(connection.getDelegate().getAddress()), connection.getDelegate().getPort()));
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

	/**
	 * Destroys a factory {@link #create made} here, leaving the application's alone.
	 * @param factory the factory made
	 * @param application the application's connection factory
	 */
	static void destroy(ConnectionFactory factory, ConnectionFactory application) {
		if (factory != application && factory instanceof CachingConnectionFactory own) {
			own.destroy();
		}
	}

}

package io.celeriac.events;

/**
 * Receives events until it is closed.
 *
 * @author Celeriac team
 */
public interface EventSubscription extends AutoCloseable {

	/**
	 * Stops receiving and releases what the subscription holds (with RabbitMQ, its
	 * queue).
	 */
	@Override
	void close();

}

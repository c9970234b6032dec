package io.celeriac.topology;

import java.util.Locale;

/**
 * The type of the exchange every task is published to, as Celery's
 * {@code task_default_exchange_type}: it decides which bound queues a routing key
 * reaches. Brokers without exchanges (Redis, SQS, in memory) route the same way.
 *
 * @author Celeriac team
 */
public enum ExchangeType {

	/**
	 * Binding keys are patterns ({@code *} one word, {@code #} any words), so the monitor
	 * queue bound with {@code #} sees every task (Cadasta's layout, the default).
	 */
	TOPIC,

	/**
	 * A queue receives the messages whose routing key equals its binding key; nothing
	 * reaches a monitor queue.
	 */
	DIRECT,

	/**
	 * Every bound queue receives every message, whatever its routing key.
	 */
	FANOUT;

	/**
	 * Returns the name AMQP and kombu give this type.
	 * @return {@code topic}, {@code direct} or {@code fanout}
	 */
	public String amqpName() {
		return name().toLowerCase(Locale.ROOT);
	}

}

package io.celeriac.broker;

/**
 * What a queue holds at one moment, as retools' queue stats report it.
 *
 * @param ready messages waiting to be delivered
 * @param inFlight messages delivered and not yet settled (on RabbitMQ: those delivered to
 * this process; the AMQP protocol does not report other consumers' deliveries)
 * @param delayed messages waiting for their time (in the delayed task store) before they
 * go back to this queue; zero for a broker built without a {@link DelayedMessageCounter}
 * @author Celeriac team
 */
public record QueueStats(long ready, long inFlight, long delayed) {

	/**
	 * The figures of an empty or missing queue.
	 */
	public static final QueueStats EMPTY = new QueueStats(0, 0, 0);

}

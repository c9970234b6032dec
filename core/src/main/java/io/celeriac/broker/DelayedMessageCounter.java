package io.celeriac.broker;

/**
 * Counts the messages that wait, outside the broker, for their time before they go back
 * to a queue: how a broker fills in {@link QueueStats#delayed()}. The delayed task store
 * implements it; a broker built without one reports no delayed messages.
 *
 * @author Celeriac team
 */
@FunctionalInterface
public interface DelayedMessageCounter {

	/**
	 * A counter that counts nothing, for brokers used without a delayed task store.
	 */
	DelayedMessageCounter NONE = (queue) -> 0;

	/**
	 * Returns how many delayed messages will go back to a queue once due.
	 * @param queue the queue's full name
	 * @return the count, zero for an unknown queue
	 */
	long countDelayed(String queue);

}

package io.celeriac.broker;

import org.jspecify.annotations.Nullable;

/**
 * Takes the messages of one queue one at a time, as {@link Broker#get(String)} does, and
 * holds every delivery it took and that was not settled until it is closed, which gives
 * them back to the queue. Error queue operations look through a queue with it and settle
 * a selection, without a connection resource per message held.
 *
 * @author Celeriac team
 * @see Broker#reader(String)
 */
public interface QueueReader extends AutoCloseable {

	/**
	 * Takes the next ready message.
	 * @return the delivery, to acknowledge or reject, or to leave to {@link #close()};
	 * {@code null} if no message is ready
	 */
	@Nullable Delivery next();

	/**
	 * Returns how many deliveries this reader can hold unsettled at once. A caller that
	 * reaches it settles the further ones itself (moves them elsewhere, say) rather than
	 * leaving them to {@link #close()}.
	 * @return the most deliveries held, {@link Integer#MAX_VALUE} if the broker keeps
	 * them and the reader only their count
	 */
	int holdLimit();

	/**
	 * Gives every delivery taken and not settled back to the queue, as rejecting it with
	 * requeue does (RabbitMQ puts each back in its place; Redis at the back, in the order
	 * taken), and releases what the reader holds. A delivery settled after this fails or
	 * does nothing, since it is the queue's again.
	 */
	@Override
	void close();

}

package io.celeriac.operations;

/**
 * A consumed queue and its error queue, with how many messages wait in each.
 *
 * @param name the queue's full name
 * @param exists whether the queue exists
 * @param depth the ready messages in the queue, {@code -1} if it does not exist
 * @param errorQueue the error queue's full name
 * @param errorQueueExists whether the error queue exists
 * @param errorQueueDepth the ready messages in the error queue, {@code -1} if it does not
 * exist
 * @author Celeriac team
 */
public record QueueDepth(String name, boolean exists, long depth, String errorQueue, boolean errorQueueExists,
		long errorQueueDepth) {

}

package io.celeriac.topology;

/**
 * The kind of RabbitMQ queue the topology declares.
 *
 * @author Celeriac team
 */
public enum QueueType {

	/**
	 * Classic queues, as Celery declares them.
	 */
	CLASSIC,

	/**
	 * Quorum queues: replicated, for clusters that must not lose a queue with a node.
	 */
	QUORUM

}

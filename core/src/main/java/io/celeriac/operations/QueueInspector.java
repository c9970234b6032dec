package io.celeriac.operations;

import java.util.List;
import java.util.function.Supplier;

import io.celeriac.broker.Broker;
import io.celeriac.topology.Topology;

/**
 * Reads the depth of the queues a worker consumes and of their error queues, for health
 * checks, gauges and the Actuator endpoint. Each call asks the broker; nothing is cached.
 *
 * @author Celeriac team
 */
public class QueueInspector {

	private final Broker broker;

	private final Topology topology;

	private final Supplier<List<String>> queues;

	/**
	 * Creates an inspector.
	 * @param broker the broker
	 * @param topology the topology, which names the error queues
	 * @param queues the full names of the queues to inspect, e.g. the worker's
	 */
	public QueueInspector(Broker broker, Topology topology, Supplier<List<String>> queues) {
		this.broker = broker;
		this.topology = topology;
		this.queues = queues;
	}

	/**
	 * Returns the topology inspected.
	 * @return the topology
	 */
	public Topology topology() {
		return this.topology;
	}

	/**
	 * Returns the full names of the inspected queues.
	 * @return the queue names
	 */
	public List<String> queues() {
		return this.queues.get();
	}

	/**
	 * Reads each queue's and error queue's existence and depth.
	 * @return one entry per queue
	 * @throws RuntimeException whatever the broker throws when it does not answer
	 */
	public List<QueueDepth> inspect() {
		return queues().stream().map(this::inspect).toList();
	}

	/**
	 * Reads one queue's and its error queue's existence and depth.
	 * @param queue the queue's full name
	 * @return the entry
	 */
	public QueueDepth inspect(String queue) {
		String errorQueue = this.topology.errorQueueName(queue);
		boolean exists = this.broker.queueExists(queue);
		boolean errorExists = this.broker.queueExists(errorQueue);
		return new QueueDepth(queue, exists, exists ? this.broker.messageCount(queue) : -1, errorQueue, errorExists,
				errorExists ? this.broker.messageCount(errorQueue) : -1);
	}

}

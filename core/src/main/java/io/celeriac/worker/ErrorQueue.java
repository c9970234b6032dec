package io.celeriac.worker;

import java.time.Duration;

import io.celeriac.broker.Broker;
import io.celeriac.errorqueue.ErrorHeaders;
import io.celeriac.errorqueue.ErrorQueuePublisher;
import io.celeriac.result.FailureLimits;
import io.celeriac.topology.Topology;

/**
 * The worker's {@link ErrorQueuePublisher}: moves a message that cannot be run to the
 * error queue beside the queue it came from, with the reason in headers, and names the
 * worker on each. Its header names are the {@link ErrorHeaders}.
 *
 * @author Celeriac team
 */
public class ErrorQueue extends ErrorQueuePublisher {

	/**
	 * Creates an error queue writer.
	 * @param broker the broker
	 * @param topology the topology, which names the error queues
	 * @param worker the name of this worker, recorded on each message
	 * @param confirmTimeout how long to wait for the broker to confirm a moved message
	 */
	public ErrorQueue(Broker broker, Topology topology, String worker, Duration confirmTimeout) {
		this(broker, topology, worker, confirmTimeout, FailureLimits.DEFAULTS);
	}

	/**
	 * Creates an error queue writer.
	 * @param broker the broker
	 * @param topology the topology, which names the error queues
	 * @param worker the name of this worker, recorded on each message
	 * @param confirmTimeout how long to wait for the broker to confirm a moved message
	 * @param limits the longest reason and stack trace written in the headers
	 */
	public ErrorQueue(Broker broker, Topology topology, String worker, Duration confirmTimeout, FailureLimits limits) {
		super(broker, topology, worker, confirmTimeout, limits);
	}

}

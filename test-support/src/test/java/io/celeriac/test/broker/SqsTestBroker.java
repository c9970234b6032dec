package io.celeriac.test.broker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.sqs.SqsBroker;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.test.services.SqsEndpoint;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An {@link SqsBroker} on the test run's SQS server (ElasticMQ in this JVM), queues named
 * under the test class's prefix, with a short visibility timeout and short long polls.
 *
 * @author Celeriac team
 */
public final class SqsTestBroker implements AutoCloseable {

	/**
	 * The visibility timeout of the test broker.
	 */
	public static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(2);

	private static final AtomicInteger topologies = new AtomicInteger();

	private final SqsClient client;

	private final SqsBroker broker;

	private final ServiceIsolation isolation;

	public SqsTestBroker(SqsEndpoint endpoint, ServiceIsolation isolation) {
		this(endpoint, isolation, true);
	}

	/**
	 * Creates a test broker.
	 * @param endpoint the SQS server
	 * @param isolation the test class's isolation
	 * @param nativeDelays whether tasks with an eta ahead wait in SQS (else in the
	 * delayed task store, as on the other brokers)
	 */
	public SqsTestBroker(SqsEndpoint endpoint, ServiceIsolation isolation, boolean nativeDelays) {
		this(endpoint, isolation, nativeDelays, DelayedMessageCounter.NONE);
	}

	/**
	 * Creates a test broker that counts the delayed tasks of a store.
	 * @param endpoint the SQS server
	 * @param isolation the test class's isolation
	 * @param nativeDelays whether tasks with an eta ahead wait in SQS
	 * @param delayed the delayed task store's counts
	 */
	public SqsTestBroker(SqsEndpoint endpoint, ServiceIsolation isolation, boolean nativeDelays,
			DelayedMessageCounter delayed) {
		this.client = endpoint.client();
		this.broker = new SqsBroker(this.client, VISIBILITY_TIMEOUT, Duration.ofSeconds(1), true, nativeDelays,
				delayed);
		this.isolation = isolation;
	}

	public SqsClient client() {
		return this.client;
	}

	public SqsBroker broker() {
		return this.broker;
	}

	public Topology newTopology(String... services) {
		int number = topologies.incrementAndGet();
		return new Topology("tasks" + number, this.isolation.queueNamePrefix() + number + "-", "platform.fifo",
				Set.of(services), QueueType.CLASSIC, ".error");
	}

	@Override
	public void close() {
		this.client.close();
	}

}

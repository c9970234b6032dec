package io.celeriac.broker;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

import io.celeriac.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Declares the topology on the broker when the application starts, before any worker
 * consumes and after every task bean is known, since every producer must know every queue
 * (the Cadasta topology's rule).
 *
 * @author Celeriac team
 */
public class TopologyDeclarer implements SmartLifecycle {

	/**
	 * The lifecycle phase: before the worker's.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private static final Logger logger = LoggerFactory.getLogger(TopologyDeclarer.class);

	private final Broker broker;

	private final Topology topology;

	private final Supplier<Set<String>> moreServices;

	private volatile boolean running;

	/**
	 * Creates a declarer.
	 * @param broker the broker
	 * @param topology the configured topology
	 * @param moreServices services to add to the configured ones, read at start (the
	 * services of this application's tasks)
	 */
	public TopologyDeclarer(Broker broker, Topology topology, Supplier<Set<String>> moreServices) {
		this.broker = broker;
		this.topology = topology;
		this.moreServices = moreServices;
	}

	/**
	 * Returns the topology as declared: the configured one with the added services.
	 * @return the topology
	 */
	public Topology topology() {
		Set<String> services = new LinkedHashSet<>(this.topology.services());
		services.addAll(this.moreServices.get());
		return new Topology(this.topology.exchange(), this.topology.queueNamePrefix(), this.topology.monitorQueue(),
				services, this.topology.queueType(), this.topology.errorQueueSuffix(), this.topology.maxPriority());
	}

	@Override
	public void start() {
		Topology declared = topology();
		this.broker.declare(declared);
		this.running = true;
		logger.info("Declared exchange '{}' with queues {}, monitor queue {} and error queues {}", declared.exchange(),
				declared.services().stream().map(declared::queueName).toList(), declared.monitorQueueName(),
				declared.errorQueueNames());
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}

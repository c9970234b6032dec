package io.celeriac.test.broker;

import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.rabbit.RabbitBroker;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import io.celeriac.topology.QueueType;
import io.celeriac.topology.Topology;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * A {@link RabbitBroker} on the test run's RabbitMQ, and topologies whose exchanges and
 * queues the test class's {@link ServiceIsolation} removes afterwards.
 *
 * @author Celeriac team
 */
public final class RabbitTestBroker implements AutoCloseable {

	private static final AtomicInteger topologies = new AtomicInteger();

	private final CachingConnectionFactory connectionFactory;

	private final RabbitBroker broker;

	private final ServiceIsolation isolation;

	public RabbitTestBroker(RabbitEndpoint rabbit, ServiceIsolation isolation) {
		this(rabbit, isolation, DelayedMessageCounter.NONE);
	}

	public RabbitTestBroker(RabbitEndpoint rabbit, ServiceIsolation isolation, DelayedMessageCounter delayed) {
		this.connectionFactory = new CachingConnectionFactory(rabbit.host(), rabbit.port());
		this.connectionFactory.setUsername(rabbit.username());
		this.connectionFactory.setPassword(rabbit.password());
		this.connectionFactory.setVirtualHost(rabbit.virtualHost());
		this.broker = new RabbitBroker(this.connectionFactory, java.time.Duration.ofSeconds(10), delayed);
		this.isolation = isolation;
	}

	public RabbitBroker broker() {
		return this.broker;
	}

	public CachingConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	public Topology newTopology(String... services) {
		int number = topologies.incrementAndGet();
		String exchange = this.isolation.exchange("tasks" + number);
		Topology topology = new Topology(exchange, this.isolation.queueNamePrefix() + number + "-", "platform.fifo",
				java.util.Set.of(services), QueueType.CLASSIC, ".error");
		topology.bindings().forEach((binding) -> this.isolation.removeAfterwards(binding.queue()));
		topology.errorQueueNames().forEach(this.isolation::removeAfterwards);
		return topology;
	}

	@Override
	public void close() {
		this.broker.destroy();
		this.connectionFactory.destroy();
	}

}

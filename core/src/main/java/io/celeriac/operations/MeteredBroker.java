package io.celeriac.operations;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.QueueReader;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.Subscription;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Broker} that counts what is published to the topology's exchange, as
 * {@code celeriac.tasks.published{routing_key}}. Publishes to the default exchange (moves
 * to error queues) are not tasks published and are not counted. Routing keys are service
 * names, so the tag stays bounded.
 *
 * @author Celeriac team
 */
public class MeteredBroker implements Broker {

	/**
	 * The counter of published tasks.
	 */
	public static final String PUBLISHED = "celeriac.tasks.published";

	private final Broker delegate;

	private final MeterRegistry registry;

	/**
	 * Wraps a broker.
	 * @param delegate the broker that publishes
	 * @param registry where the meters go
	 */
	public MeteredBroker(Broker delegate, MeterRegistry registry) {
		this.delegate = delegate;
		this.registry = registry;
	}

	/**
	 * Returns the wrapped broker.
	 * @return the broker
	 */
	public Broker delegate() {
		return this.delegate;
	}

	@Override
	public void declare(Topology topology) {
		this.delegate.declare(topology);
	}

	@Override
	public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
		CompletableFuture<Void> published = this.delegate.publish(exchange, routingKey, message);
		if (!DEFAULT_EXCHANGE.equals(exchange)) {
			this.registry.counter(PUBLISHED, "routing_key", routingKey).increment();
		}
		return published;
	}

	@Override
	public Subscription consume(String queue, ConsumerSettings settings, DeliveryHandler handler) {
		return this.delegate.consume(queue, settings, handler);
	}

	@Override
	public Subscription consume(List<String> queues, ConsumerSettings settings, DeliveryHandler handler) {
		return this.delegate.consume(queues, settings, handler);
	}

	@Override
	public @Nullable Delivery get(String queue) {
		return this.delegate.get(queue);
	}

	@Override
	public QueueReader reader(String queue) {
		return this.delegate.reader(queue);
	}

	@Override
	public boolean queueExists(String queue) {
		return this.delegate.queueExists(queue);
	}

	@Override
	public long purge(String queue) {
		return this.delegate.purge(queue);
	}

	@Override
	public QueueStats stats(String queue) {
		return this.delegate.stats(queue);
	}

	@Override
	public long messageCount(String queue) {
		return this.delegate.messageCount(queue);
	}

}

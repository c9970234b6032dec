package io.celeriac.workflow;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.Subscription;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;

/**
 * A broker that only records what is published, to compare messages with Celery's.
 *
 * @author Celeriac team
 */
class RecordingBroker implements Broker {

	final List<Published> published = new CopyOnWriteArrayList<>();

	@Override
	public void declare(Topology topology) {
	}

	@Override
	public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
		this.published.add(new Published(routingKey, message));
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public Subscription consume(String queue, ConsumerSettings settings, DeliveryHandler handler) {
		throw new UnsupportedOperationException();
	}

	@Override
	public @Nullable Delivery get(String queue) {
		return null;
	}

	@Override
	public boolean queueExists(String queue) {
		return true;
	}

	@Override
	public long messageCount(String queue) {
		return 0;
	}

	@Override
	public long purge(String queue) {
		return 0;
	}

	@Override
	public QueueStats stats(String queue) {
		throw new UnsupportedOperationException();
	}

	record Published(String routingKey, WireMessage message) {

	}

}

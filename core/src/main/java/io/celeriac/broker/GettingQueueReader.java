package io.celeriac.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * The {@link QueueReader} of a broker that has none of its own: takes each message with
 * {@link Broker#get(String)} and keeps the deliveries not yet settled, which it rejects
 * with requeue when it closes. It holds each message in this process, so it holds no more
 * than {@value #HOLD_LIMIT}.
 *
 * @author Celeriac team
 */
final class GettingQueueReader implements QueueReader {

	static final int HOLD_LIMIT = 1_000;

	private final Broker broker;

	private final String queue;

	private final Set<Held> held = new LinkedHashSet<>();

	GettingQueueReader(Broker broker, String queue) {
		this.broker = broker;
		this.queue = queue;
	}

	@Override
	public synchronized @Nullable Delivery next() {
		Delivery delivery = this.broker.get(this.queue);
		if (delivery == null) {
			return null;
		}
		Held taken = new Held(delivery);
		this.held.add(taken);
		return taken;
	}

	@Override
	public int holdLimit() {
		return HOLD_LIMIT;
	}

	@Override
	public void close() {
		List<Held> unsettled;
		synchronized (this) {
			unsettled = new ArrayList<>(this.held);
		}
		@Nullable RuntimeException failure = null;
		// in the order taken, as the broker's own reject gives each back
		for (Held delivery : unsettled) {
			try {
				delivery.reject(true);
			}
			catch (RuntimeException ex) {
				// the others still go back; a delivery not given back returns when its
				// broker sees it abandoned
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private synchronized void settled(Held delivery) {
		this.held.remove(delivery);
	}

	/**
	 * A delivery that leaves the reader's keeping once it is settled.
	 */
	private final class Held implements Delivery {

		private final Delivery delivery;

		Held(Delivery delivery) {
			this.delivery = delivery;
		}

		@Override
		public WireMessage message() {
			return this.delivery.message();
		}

		@Override
		public String queue() {
			return this.delivery.queue();
		}

		@Override
		public String routingKey() {
			return this.delivery.routingKey();
		}

		@Override
		public boolean redelivered() {
			return this.delivery.redelivered();
		}

		@Override
		public OptionalInt deliveryCount() {
			return this.delivery.deliveryCount();
		}

		@Override
		public void ack() {
			settled(this);
			this.delivery.ack();
		}

		@Override
		public void reject(boolean requeue) {
			settled(this);
			this.delivery.reject(requeue);
		}

		@Override
		public void touch(Duration extension) {
			this.delivery.touch(extension);
		}

	}

}

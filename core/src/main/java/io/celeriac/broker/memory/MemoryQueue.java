package io.celeriac.broker.memory;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.celeriac.broker.Delivery;
import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * One queue of the {@link InMemoryBroker}: ready messages in order, and a count of those
 * delivered and not yet settled.
 *
 * @author Celeriac team
 */
final class MemoryQueue {

	private final String name;

	private final LinkedBlockingDeque<Stored> ready = new LinkedBlockingDeque<>();

	private final AtomicInteger unsettled = new AtomicInteger();

	MemoryQueue(String name) {
		this.name = name;
	}

	String name() {
		return this.name;
	}

	void offer(String routingKey, WireMessage message) {
		this.ready.offerLast(new Stored(message, routingKey, 0, expiresAt(message)));
	}

	int size() {
		return this.ready.size();
	}

	int unsettled() {
		return this.unsettled.get();
	}

	long purge() {
		long removed = 0;
		while (this.ready.pollFirst() != null) {
			removed++;
		}
		return removed;
	}

	@Nullable MemoryDelivery poll() {
		while (true) {
			Stored stored = this.ready.pollFirst();
			if (stored == null) {
				return null;
			}
			if (!stored.isExpired()) {
				return deliver(stored);
			}
		}
	}

	@Nullable MemoryDelivery take(Duration wait) throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			Stored stored = this.ready.pollFirst(Math.max(0, left), TimeUnit.NANOSECONDS);
			if (stored == null) {
				return null;
			}
			if (!stored.isExpired()) {
				return deliver(stored);
			}
		}
	}

	private MemoryDelivery deliver(Stored stored) {
		this.unsettled.incrementAndGet();
		return new MemoryDelivery(stored);
	}

	private static long expiresAt(WireMessage message) {
		String expiration = message.expiration();
		if (expiration == null) {
			return Long.MAX_VALUE;
		}
		try {
			return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(expiration.trim()));
		}
		catch (NumberFormatException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * A message in the queue; {@code returns} counts the times it was given back
	 * unsettled.
	 */
	private record Stored(WireMessage message, String routingKey, int returns, long expiresAt) {

		boolean isExpired() {
			return this.expiresAt != Long.MAX_VALUE && System.nanoTime() - this.expiresAt > 0;
		}

	}

	final class MemoryDelivery implements Delivery {

		private final Stored stored;

		private final AtomicBoolean settled = new AtomicBoolean();

		MemoryDelivery(Stored stored) {
			this.stored = stored;
		}

		@Override
		public WireMessage message() {
			return this.stored.message();
		}

		@Override
		public String queue() {
			return MemoryQueue.this.name;
		}

		@Override
		public String routingKey() {
			return this.stored.routingKey();
		}

		@Override
		public boolean redelivered() {
			return this.stored.returns() > 0;
		}

		@Override
		public OptionalInt deliveryCount() {
			return OptionalInt.of(this.stored.returns() + 1);
		}

		/**
		 * Checks the extension and does nothing else: a delivery of this broker stays
		 * with its consumer until settled or until the subscription stops, so it never
		 * outlives a deadline.
		 */
		@Override
		public void touch(Duration extension) {
			Delivery.requirePositive(extension);
		}

		/**
		 * Tells whether the delivery was acknowledged or rejected.
		 * @return whether it is settled
		 */
		boolean isSettled() {
			return this.settled.get();
		}

		@Override
		public void ack() {
			if (this.settled.compareAndSet(false, true)) {
				MemoryQueue.this.unsettled.decrementAndGet();
			}
		}

		@Override
		public void reject(boolean requeue) {
			if (this.settled.compareAndSet(false, true)) {
				if (requeue) {
					MemoryQueue.this.ready.offerFirst(new Stored(this.stored.message(), this.stored.routingKey(),
							this.stored.returns() + 1, this.stored.expiresAt()));
				}
				MemoryQueue.this.unsettled.decrementAndGet();
			}
		}

	}

}

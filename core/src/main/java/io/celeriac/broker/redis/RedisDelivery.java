package io.celeriac.broker.redis;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

import io.celeriac.broker.Delivery;
import io.celeriac.protocol.WireMessage;

/**
 * A delivery of the {@link RedisBroker}: in kombu's {@code unacked} hash under its
 * delivery tag until settled, or until its visibility deadline passes.
 *
 * @author Celeriac team
 */
final class RedisDelivery implements Delivery {

	private final RedisBroker broker;

	private final String queue;

	private final String tag;

	private final byte[] payload;

	private final RedisMessageCodec.Envelope envelope;

	private final AtomicBoolean settled = new AtomicBoolean();

	RedisDelivery(RedisBroker broker, String queue, String tag, byte[] payload, RedisMessageCodec.Envelope envelope) {
		this.broker = broker;
		this.queue = queue;
		this.tag = tag;
		this.payload = payload;
		this.envelope = envelope;
	}

	String tag() {
		return this.tag;
	}

	byte[] payload() {
		return this.payload;
	}

	long expiresAt() {
		return this.envelope.expiresAt();
	}

	@Override
	public WireMessage message() {
		return this.envelope.message();
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public String routingKey() {
		return this.envelope.routingKey();
	}

	@Override
	public boolean redelivered() {
		return this.envelope.redelivered() || this.envelope.returns() > 0;
	}

	/**
	 * Counts the times Celeriac gave the message back unsettled (its visibility deadline
	 * passed, or a consumer gave it back), plus this delivery; a message that kombu gave
	 * back (it counts nothing, it only marks it redelivered) counts at least two.
	 */
	@Override
	public OptionalInt deliveryCount() {
		long returns = Math.max(this.envelope.returns(), this.envelope.redelivered() ? 1 : 0);
		return OptionalInt.of((int) Math.min(returns + 1, Integer.MAX_VALUE));
	}

	/**
	 * Moves the visibility deadline. Does nothing once the delivery is settled; when the
	 * deadline had already passed and the message went back to its queue, it stays there.
	 */
	@Override
	public void touch(Duration extension) {
		Delivery.requirePositive(extension);
		if (!this.settled.get()) {
			this.broker.touch(this, extension);
		}
	}

	boolean isSettled() {
		return this.settled.get();
	}

	@Override
	public void ack() {
		if (this.settled.compareAndSet(false, true)) {
			this.broker.settle(this, false);
		}
	}

	@Override
	public void reject(boolean requeue) {
		if (this.settled.compareAndSet(false, true)) {
			this.broker.settle(this, requeue);
		}
	}

}

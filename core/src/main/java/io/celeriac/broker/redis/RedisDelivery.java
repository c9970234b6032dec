package io.celeriac.broker.redis;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

import io.celeriac.broker.Delivery;
import io.celeriac.protocol.WireMessage;

/**
 * A delivery of the {@link RedisBroker}: in the queue's in-flight set until settled or
 * until its visibility deadline passes.
 *
 * @author Celeriac team
 */
final class RedisDelivery implements Delivery {

	private final RedisBroker broker;

	private final String queue;

	private final String id;

	private final RedisMessageCodec.Envelope envelope;

	private final long returns;

	private final AtomicBoolean settled = new AtomicBoolean();

	RedisDelivery(RedisBroker broker, String queue, String id, RedisMessageCodec.Envelope envelope, long returns) {
		this.broker = broker;
		this.queue = queue;
		this.id = id;
		this.envelope = envelope;
		this.returns = returns;
	}

	String id() {
		return this.id;
	}

	int band() {
		return Character.digit(this.id.charAt(0), 10);
	}

	boolean isSettled() {
		return this.settled.get();
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
		return this.returns > 0;
	}

	/**
	 * Counts the times the message came back unsettled (its visibility deadline passed,
	 * or a consumer gave it back), plus this delivery.
	 */
	@Override
	public OptionalInt deliveryCount() {
		return OptionalInt.of((int) Math.min(this.returns + 1, Integer.MAX_VALUE));
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

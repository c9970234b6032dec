package io.celeriac.broker.sqs;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

import io.celeriac.broker.Delivery;
import io.celeriac.broker.kombu.KombuEnvelope;
import io.celeriac.protocol.WireMessage;

/**
 * A delivery of the {@link SqsBroker}: an SQS message received and hidden until its
 * visibility timeout passes, identified by its receipt handle.
 *
 * @author Celeriac team
 */
final class SqsDelivery implements Delivery {

	private final SqsBroker broker;

	private final String queue;

	private final String queueUrl;

	private final String receiptHandle;

	private final KombuEnvelope.Unpacked decoded;

	private final long receiveCount;

	private final AtomicBoolean settled = new AtomicBoolean();

	SqsDelivery(SqsBroker broker, String queue, String queueUrl, String receiptHandle, KombuEnvelope.Unpacked decoded,
			long receiveCount) {
		this.broker = broker;
		this.queue = queue;
		this.queueUrl = queueUrl;
		this.receiptHandle = receiptHandle;
		this.decoded = decoded;
		this.receiveCount = receiveCount;
	}

	String queueUrl() {
		return this.queueUrl;
	}

	String receiptHandle() {
		return this.receiptHandle;
	}

	boolean isSettled() {
		return this.settled.get();
	}

	/**
	 * Marks the delivery settled without telling SQS, for a caller that settles several
	 * deliveries in one batch call.
	 * @return {@code true} if it was not settled before
	 */
	boolean markSettled() {
		return this.settled.compareAndSet(false, true);
	}

	@Override
	public WireMessage message() {
		return this.decoded.message();
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public String routingKey() {
		return this.decoded.routingKey();
	}

	@Override
	public boolean redelivered() {
		return this.receiveCount > 1;
	}

	/**
	 * Returns the message's {@code ApproximateReceiveCount}: SQS counts every receive,
	 * approximately (a receive can be counted late, never left out for long).
	 */
	@Override
	public OptionalInt deliveryCount() {
		return OptionalInt.of((int) Math.min(this.receiveCount, Integer.MAX_VALUE));
	}

	/**
	 * Changes the message's visibility timeout to the extension (SQS's
	 * {@code ChangeMessageVisibility}, whole seconds, at most 12 hours). Does nothing
	 * once the delivery is settled.
	 */
	@Override
	public void touch(Duration extension) {
		Delivery.requirePositive(extension);
		if (!this.settled.get()) {
			this.broker.changeVisibility(this, extension);
		}
	}

	@Override
	public void ack() {
		if (this.settled.compareAndSet(false, true)) {
			this.broker.delete(this);
		}
	}

	/**
	 * Rejects the message: with requeue its visibility becomes zero, so it is received
	 * again at once, counted as a second receive; without, it is deleted.
	 */
	@Override
	public void reject(boolean requeue) {
		if (this.settled.compareAndSet(false, true)) {
			if (requeue) {
				this.broker.changeVisibility(this, Duration.ZERO);
			}
			else {
				this.broker.delete(this);
			}
		}
	}

}

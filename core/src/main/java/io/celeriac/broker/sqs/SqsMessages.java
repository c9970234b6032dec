package io.celeriac.broker.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.celeriac.broker.kombu.KombuEnvelope;
import io.celeriac.protocol.WireMessage;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Takes and settles the {@link SqsBroker}'s messages: receiving (hidden for the
 * visibility timeout, expired ones dropped), deleting (acknowledging), changing their
 * visibility (touching, or zero to give them back at once) and purging what is ready.
 *
 * @author Celeriac team
 */
final class SqsMessages {

	private final SqsBroker broker;

	private final SqsClient client;

	private final SqsMessageCodec codec;

	private final Duration visibilityTimeout;

	SqsMessages(SqsBroker broker, SqsClient client, SqsMessageCodec codec, Duration visibilityTimeout) {
		this.broker = broker;
		this.client = client;
		this.codec = codec;
		this.visibilityTimeout = visibilityTimeout;
	}

	/**
	 * Receives up to {@code max} messages, waiting up to {@code wait} for the first;
	 * drops (deletes) those whose expiration passed while they waited, as RabbitMQ drops
	 * a message whose TTL passed.
	 */
	List<SqsDelivery> receive(String queue, String url, int max, Duration wait) {
		ReceiveMessageResponse response = this.client.receiveMessage((request) -> request.queueUrl(url)
			.maxNumberOfMessages(Math.min(max, SqsBroker.BATCH_SIZE))
			.waitTimeSeconds((int) wait.getSeconds())
			.visibilityTimeout((int) this.visibilityTimeout.getSeconds())
			.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
					MessageSystemAttributeName.SENT_TIMESTAMP));
		List<SqsDelivery> deliveries = new ArrayList<>(response.messages().size());
		for (Message message : response.messages()) {
			// never throws: a message no one can read goes where an unreadable message
			// goes
			// on any broker (the worker moves it to the error queue with the reason)
			KombuEnvelope.Unpacked decoded = this.codec.decode(message.body());
			SqsDelivery delivery = new SqsDelivery(this.broker, queue, url, message.receiptHandle(), decoded,
					receiveCount(message));
			if (expired(decoded.message(), message)) {
				delivery.reject(false);
				continue;
			}
			deliveries.add(delivery);
		}
		return deliveries;
	}

	private static long receiveCount(Message message) {
		String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
		return (count != null) ? Long.parseLong(count) : 1;
	}

	private static boolean expired(WireMessage wire, Message message) {
		String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
		if (wire.expiration() == null || sent == null) {
			return false;
		}
		try {
			return System.currentTimeMillis() >= Long.parseLong(sent) + Long.parseLong(wire.expiration().trim());
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	void delete(SqsDelivery delivery) {
		this.client
			.deleteMessage((request) -> request.queueUrl(delivery.queueUrl()).receiptHandle(delivery.receiptHandle()));
	}

	void changeVisibility(SqsDelivery delivery, Duration visibility) {
		this.client.changeMessageVisibility((request) -> request.queueUrl(delivery.queueUrl())
			.receiptHandle(delivery.receiptHandle())
			.visibilityTimeout(visibilitySeconds(visibility)));
	}

	/**
	 * Changes the visibility of deliveries of one queue, ten per call.
	 * @param url the queue's URL
	 * @param deliveries the deliveries
	 * @param visibility the new visibility, from now
	 */
	void changeVisibility(String url, List<SqsDelivery> deliveries, Duration visibility) {
		int seconds = visibilitySeconds(visibility);
		for (int from = 0; from < deliveries.size(); from += SqsBroker.BATCH_SIZE) {
			List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
			List<SqsDelivery> batch = deliveries.subList(from,
					Math.min(deliveries.size(), from + SqsBroker.BATCH_SIZE));
			for (int i = 0; i < batch.size(); i++) {
				entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.receiptHandle(batch.get(i).receiptHandle())
					.visibilityTimeout(seconds)
					.build());
			}
			this.client.changeMessageVisibilityBatch((request) -> request.queueUrl(url).entries(entries));
		}
	}

	private static int visibilitySeconds(Duration visibility) {
		if (visibility.isZero()) {
			return 0;
		}
		long seconds = (visibility.toMillis() + 999) / 1000;
		return (int) Math.min(SqsBroker.MAX_VISIBILITY_TIMEOUT.getSeconds(), seconds);
	}

	/**
	 * Removes the ready messages by receiving and deleting them ten at a time. SQS's own
	 * {@code PurgeQueue} would also delete the messages in flight, which the broker
	 * contract keeps, and may run only once a minute.
	 * @param url the queue's URL
	 * @return how many were removed
	 */
	long purge(String url) {
		long removed = 0;
		while (true) {
			ReceiveMessageResponse response = this.client.receiveMessage((request) -> request.queueUrl(url)
				.maxNumberOfMessages(SqsBroker.BATCH_SIZE)
				.waitTimeSeconds(0)
				.visibilityTimeout((int) this.visibilityTimeout.getSeconds()));
			if (response.messages().isEmpty()) {
				return removed;
			}
			List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
			for (int i = 0; i < response.messages().size(); i++) {
				entries.add(DeleteMessageBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.receiptHandle(response.messages().get(i).receiptHandle())
					.build());
			}
			removed += this.client.deleteMessageBatch((request) -> request.queueUrl(url).entries(entries))
				.successful()
				.size();
		}
	}

}

package io.celeriac.broker.sqs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends the {@link SqsBroker}'s messages, one {@link SqsBatcher} per queue, so that
 * concurrent publishers share {@code SendMessageBatch} calls of up to ten messages and
 * 256 KiB. A FIFO queue gets kombu's one message group and a fresh deduplication id; on a
 * standard queue a task whose {@code eta} is ahead waits in SQS (a delay of up to 15
 * minutes) where native delays are on.
 *
 * @author Celeriac team
 */
final class SqsSenders {

	/**
	 * The largest sum of message bodies of one batch send: SQS's original limit of 256
	 * KiB (bodies are base64 text, one byte per character).
	 */
	static final int MAX_BATCH_BYTES = 256 * 1024;

	private final SqsClient client;

	private final Map<String, SqsBatcher<Outgoing>> senders = new ConcurrentHashMap<>();

	SqsSenders(SqsClient client) {
		this.client = client;
	}

	/**
	 * Sends a message body to a queue with the next batch.
	 * @param queue the queue's name in the topology
	 * @param url the queue's URL
	 * @param body the SQS message body
	 * @param delaySeconds how long SQS hides it (standard queues only)
	 * @return completed once SQS took it
	 */
	CompletableFuture<Void> send(String queue, String url, String body, int delaySeconds) {
		return sender(queue, url).submit(new Outgoing(body, delaySeconds));
	}

	private SqsBatcher<Outgoing> sender(String queue, String url) {
		boolean fifo = queue.endsWith(SqsQueues.FIFO_SUFFIX);
		return this.senders.computeIfAbsent(url, (key) -> new SqsBatcher<>((batch) -> {
			List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
			for (int i = 0; i < batch.size(); i++) {
				Outgoing outgoing = batch.get(i);
				SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.messageBody(outgoing.body());
				if (fifo) {
					// as kombu: one message group, and no content-based deduplication
					entry.messageGroupId("default").messageDeduplicationId(UUID.randomUUID().toString());
				}
				else if (outgoing.delaySeconds() > 0) {
					entry.delaySeconds(outgoing.delaySeconds());
				}
				entries.add(entry.build());
			}
			SendMessageBatchResponse response = this.client
				.sendMessageBatch((request) -> request.queueUrl(url).entries(entries));
			List<@Nullable RuntimeException> failures = new ArrayList<>(Collections.nCopies(batch.size(), null));
			for (BatchResultErrorEntry failed : response.failed()) {
				failures.set(Integer.parseInt(failed.id()), new IllegalStateException(
						"SQS refused the message (" + failed.code() + "): " + failed.message()));
			}
			return failures;
		}, (outgoing) -> outgoing.body().length(), MAX_BATCH_BYTES));
	}

	/**
	 * Returns how long SQS should hide a message whose {@code eta} is ahead: up to 15
	 * minutes, rounded up to whole seconds so that it never arrives early.
	 * @param message the message
	 * @return the delay in seconds, 0 for none
	 */
	static int delaySeconds(WireMessage message) {
		Object eta = message.headers().get("eta");
		Instant due = (eta != null) ? CeleryTime.parse(eta.toString()) : null;
		if (due == null) {
			return 0;
		}
		long millis = Duration.between(Instant.now(), due).toMillis();
		if (millis <= 0) {
			return 0;
		}
		return (int) Math.min(SqsBroker.MAX_DELAY.getSeconds(), (millis + 999) / 1000);
	}

	/**
	 * A message on its way to one queue.
	 *
	 * @param body the SQS message body
	 * @param delaySeconds how long SQS hides it (standard queues only)
	 */
	private record Outgoing(String body, int delaySeconds) {

	}

}

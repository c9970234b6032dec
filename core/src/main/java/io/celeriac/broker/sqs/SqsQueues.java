package io.celeriac.broker.sqs;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.broker.QueueStats;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The SQS queues of the {@link SqsBroker}: their names as kombu's SQS transport
 * translates them, their URLs (looked up once), creating and deleting them, and the
 * counts SQS keeps of their messages.
 *
 * @author Celeriac team
 */
final class SqsQueues {

	static final String FIFO_SUFFIX = ".fifo";

	private final SqsClient client;

	private final Duration visibilityTimeout;

	private final Map<String, String> urls = new ConcurrentHashMap<>();

	SqsQueues(SqsClient client, Duration visibilityTimeout) {
		this.client = client;
		this.visibilityTimeout = visibilityTimeout;
	}

	/**
	 * Returns the SQS name of a queue, as kombu's SQS transport translates it.
	 * @param queue the queue's name in the topology
	 * @return the SQS queue name
	 * @see SqsBroker#sqsQueueName(String)
	 */
	static String name(String queue) {
		boolean fifo = queue.endsWith(FIFO_SUFFIX);
		String name = fifo ? queue.substring(0, queue.length() - FIFO_SUFFIX.length()) : queue;
		StringBuilder translated = new StringBuilder(name.length() + FIFO_SUFFIX.length());
		for (char c : name.toCharArray()) {
			if (c == '.') {
				translated.append('-');
			}
			else if (c < 128 && !Character.isLetterOrDigit(c) && c != '-' && c != '_') {
				translated.append('_');
			}
			else {
				translated.append(c);
			}
		}
		return fifo ? translated.append(FIFO_SUFFIX).toString() : translated.toString();
	}

	/**
	 * Returns a queue's URL, looked up once, creating the queue if allowed.
	 * @param queue the queue's name in the topology
	 * @param create whether to create a missing queue
	 * @return the URL, or {@code null} if the queue does not exist
	 */
	@Nullable String url(String queue, boolean create) {
		String known = this.urls.get(queue);
		if (known != null) {
			return known;
		}
		String name = name(queue);
		String url;
		try {
			url = this.client.getQueueUrl((request) -> request.queueName(name)).queueUrl();
		}
		catch (QueueDoesNotExistException ex) {
			if (!create) {
				return null;
			}
			Map<QueueAttributeName, String> attributes = new HashMap<>();
			attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(this.visibilityTimeout.getSeconds()));
			if (name.endsWith(FIFO_SUFFIX)) {
				attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
			}
			url = this.client.createQueue((request) -> request.queueName(name).attributes(attributes)).queueUrl();
		}
		this.urls.put(queue, url);
		return url;
	}

	/**
	 * Counts a queue's messages as SQS does: ready, in flight, and delayed by SQS.
	 * @param queue the queue
	 * @return the counts, all zero for a queue that does not exist
	 */
	QueueStats stats(String queue) {
		String url = url(queue, false);
		if (url == null) {
			return QueueStats.EMPTY;
		}
		try {
			Map<QueueAttributeName, String> attributes = this.client
				.getQueueAttributes((request) -> request.queueUrl(url)
					.attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
							QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
							QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
				.attributes();
			return new QueueStats(count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
					count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
					count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
		}
		catch (QueueDoesNotExistException ex) {
			this.urls.remove(queue);
			return QueueStats.EMPTY;
		}
	}

	private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
		String value = attributes.get(name);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	/**
	 * Deletes a queue and every message in it.
	 * @param queue the queue's name
	 */
	void delete(String queue) {
		String url = url(queue, false);
		if (url != null) {
			this.client.deleteQueue((request) -> request.queueUrl(url));
			this.urls.remove(queue);
		}
	}

}

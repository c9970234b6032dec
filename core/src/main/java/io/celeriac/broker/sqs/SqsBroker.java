package io.celeriac.broker.sqs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.Subscription;
import io.celeriac.broker.TopicPattern;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A broker on Amazon SQS, for teams on AWS that run no broker of their own. SQS has no
 * exchanges, so the topology lives in the producer, as in kombu's SQS transport: each
 * declared exchange keeps its bindings in memory, and a publish sends one copy to every
 * queue whose binding pattern matches the routing key (the service queue and the monitor
 * queue). Every producer declares the whole topology at start (the Cadasta rule), so each
 * knows where to send.
 * <p>
 * Queue names go through kombu's translation ({@link #sqsQueueName(String)}): {@code .}
 * becomes {@code -}, other punctuation {@code _}, and a name ending in {@code .fifo}
 * keeps it and is a FIFO queue, so Python Celery finds the same queues. Messages are
 * kombu's envelope ({@link SqsMessageCodec}).
 * <p>
 * Deliveries: a message taken is hidden for the visibility timeout; acknowledging deletes
 * it; rejecting with requeue sets its visibility to zero, so it comes back at once with a
 * receive count above one (redelivered); {@link Delivery#touch(Duration)} changes its
 * visibility. A live subscription touches its deliveries, so only a dead worker's
 * messages come back. A task whose {@code eta} is ahead is sent with a delay of at most
 * SQS's 15 minutes; a worker that takes it earlier than its eta parks it in the delayed
 * task store as on any broker.
 *
 * @author Celeriac team
 */
public class SqsBroker implements Broker {

	/**
	 * The longest delay SQS keeps a message invisible after sending it.
	 */
	public static final Duration MAX_DELAY = Duration.ofMinutes(15);

	/**
	 * The longest visibility timeout SQS accepts.
	 */
	public static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

	/**
	 * How many entries one SQS batch call takes.
	 */
	static final int BATCH_SIZE = 10;

	/**
	 * The largest sum of message bodies of one batch send: SQS's original limit of 256
	 * KiB (bodies are base64 text, one byte per character).
	 */
	static final int MAX_BATCH_BYTES = 256 * 1024;

	private static final String FIFO_SUFFIX = ".fifo";

	private final SqsClient client;

	private final Duration visibilityTimeout;

	private final Duration waitTime;

	private final boolean createQueues;

	private final boolean nativeDelays;

	private final DelayedMessageCounter delayed;

	private final SqsMessageCodec codec = new SqsMessageCodec();

	private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

	private final Map<String, Set<Topology.QueueBinding>> exchanges = new ConcurrentHashMap<>();

	private final Map<String, ExchangeType> exchangeTypes = new ConcurrentHashMap<>();

	private final Map<String, SqsBatcher<Outgoing>> senders = new ConcurrentHashMap<>();

	private final Map<String, SqsBatcher<String>> deleters = new ConcurrentHashMap<>();

	/**
	 * Creates a broker.
	 * @param client the SQS client
	 * @param visibilityTimeout how long a delivery stays hidden with a consumer that
	 * stopped touching it (a dead one) before it goes back to its queue; whole seconds,
	 * at least one
	 * @param waitTime how long a receive waits for a message (SQS long polling), at most
	 * 20 seconds
	 * @param createQueues whether queues that do not exist are created (otherwise
	 * declaring the topology fails naming them)
	 */
	public SqsBroker(SqsClient client, Duration visibilityTimeout, Duration waitTime, boolean createQueues) {
		this(client, visibilityTimeout, waitTime, createQueues, true);
	}

	/**
	 * Creates a broker.
	 * @param client the SQS client
	 * @param visibilityTimeout how long a delivery stays hidden with a consumer that
	 * stopped touching it (a dead one) before it goes back to its queue; whole seconds,
	 * at least one
	 * @param waitTime how long a receive waits for a message (SQS long polling), at most
	 * 20 seconds
	 * @param createQueues whether queues that do not exist are created (otherwise
	 * declaring the topology fails naming them)
	 * @param nativeDelays whether a task whose {@code eta} is ahead is sent with an SQS
	 * delay (up to 15 minutes), so that it waits in SQS rather than in the delayed task
	 * store
	 */
	public SqsBroker(SqsClient client, Duration visibilityTimeout, Duration waitTime, boolean createQueues,
			boolean nativeDelays) {
		this(client, visibilityTimeout, waitTime, createQueues, nativeDelays, DelayedMessageCounter.NONE);
	}

	/**
	 * Creates a broker that also reports the tasks waiting in the delayed task store.
	 * @param client the SQS client
	 * @param visibilityTimeout how long a delivery stays hidden with a consumer that
	 * stopped touching it (a dead one) before it goes back to its queue; whole seconds,
	 * at least one
	 * @param waitTime how long a receive waits for a message (SQS long polling), at most
	 * 20 seconds
	 * @param createQueues whether queues that do not exist are created (otherwise
	 * declaring the topology fails naming them)
	 * @param nativeDelays whether a task whose {@code eta} is ahead is sent with an SQS
	 * delay (up to 15 minutes), so that it waits in SQS rather than in the delayed task
	 * store
	 * @param delayed counts the delayed tasks waiting in the store to return to each
	 * queue; {@link QueueStats#delayed()} adds them to the messages SQS itself delays
	 */
	public SqsBroker(SqsClient client, Duration visibilityTimeout, Duration waitTime, boolean createQueues,
			boolean nativeDelays, DelayedMessageCounter delayed) {
		if (visibilityTimeout.getSeconds() < 1 || visibilityTimeout.compareTo(MAX_VISIBILITY_TIMEOUT) > 0) {
			throw new IllegalArgumentException(
					"The SQS visibility timeout must be between 1s and 12h, not " + visibilityTimeout);
		}
		if (waitTime.isNegative() || waitTime.getSeconds() > 20) {
			throw new IllegalArgumentException("The SQS wait time must be between 0s and 20s, not " + waitTime);
		}
		this.client = client;
		this.visibilityTimeout = visibilityTimeout;
		this.waitTime = waitTime;
		this.createQueues = createQueues;
		this.nativeDelays = nativeDelays;
		this.delayed = delayed;
	}

	/**
	 * Returns the visibility timeout.
	 * @return the visibility timeout
	 */
	public Duration visibilityTimeout() {
		return this.visibilityTimeout;
	}

	/**
	 * Returns the SQS name of a queue, as kombu's SQS transport translates it: {@code .}
	 * becomes {@code -}, punctuation other than {@code -} and {@code _} becomes
	 * {@code _}, and a trailing {@code .fifo} stays (a FIFO queue).
	 * @param queue the queue's name in the topology
	 * @return the SQS queue name
	 */
	public static String sqsQueueName(String queue) {
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

	@Override
	public void declare(Topology topology) {
		Set<String> queues = new LinkedHashSet<>();
		topology.bindings().forEach((binding) -> queues.add(binding.queue()));
		queues.addAll(topology.errorQueueNames());
		List<String> missing = new ArrayList<>();
		for (String queue : queues) {
			if (queueUrl(queue, this.createQueues) == null) {
				missing.add(sqsQueueName(queue));
			}
		}
		if (!missing.isEmpty()) {
			throw new IllegalStateException("SQS queues " + missing + " do not exist and celeriac.broker.sqs."
					+ "create-queues is false: create them, or set it to true");
		}
		this.exchangeTypes.put(topology.exchange(), topology.exchangeType());
		this.exchanges.computeIfAbsent(topology.exchange(), (name) -> ConcurrentHashMap.newKeySet())
			.addAll(topology.bindings());
	}

	/**
	 * Creates a queue that no exchange routes to (whatever {@code create-queues} says).
	 * @param queue the queue's name
	 */
	public void declareQueue(String queue) {
		queueUrl(queue, true);
	}

	@Override
	public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
		try {
			String body = this.codec.encode(message, exchange, routingKey);
			int delaySeconds = this.nativeDelays ? delaySeconds(message) : 0;
			List<CompletableFuture<Void>> sent = new ArrayList<>(2);
			for (String queue : targets(exchange, routingKey)) {
				String url = queueUrl(queue, this.createQueues);
				if (url == null) {
					throw new IllegalStateException("SQS queue '" + sqsQueueName(queue) + "' does not exist");
				}
				sent.add(sender(queue, url).submit(new Outgoing(body, delaySeconds)));
			}
			return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).exceptionallyCompose((failure) -> {
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				return CompletableFuture.failedFuture(publishFailed(exchange, routingKey, cause));
			});
		}
		catch (IllegalArgumentException | IllegalStateException | SdkException ex) {
			return CompletableFuture.failedFuture(publishFailed(exchange, routingKey, ex));
		}
	}

	private static PublishFailedException publishFailed(String exchange, String routingKey, Throwable cause) {
		return new PublishFailedException("Could not publish to exchange '" + exchange + "' with routing key '"
				+ routingKey + "' on SQS: " + cause.getMessage(), cause);
	}

	private SqsBatcher<Outgoing> sender(String queue, String url) {
		boolean fifo = queue.endsWith(FIFO_SUFFIX);
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

	private SqsBatcher<String> deleter(String url) {
		return this.deleters.computeIfAbsent(url, (key) -> new SqsBatcher<>((receiptHandles) -> {
			List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(receiptHandles.size());
			for (int i = 0; i < receiptHandles.size(); i++) {
				entries.add(DeleteMessageBatchRequestEntry.builder()
					.id(Integer.toString(i))
					.receiptHandle(receiptHandles.get(i))
					.build());
			}
			DeleteMessageBatchResponse response = this.client
				.deleteMessageBatch((request) -> request.queueUrl(url).entries(entries));
			List<@Nullable RuntimeException> failures = new ArrayList<>(
					Collections.nCopies(receiptHandles.size(), null));
			for (BatchResultErrorEntry failed : response.failed()) {
				failures.set(Integer.parseInt(failed.id()), new IllegalStateException(
						"SQS did not delete the message (" + failed.code() + "): " + failed.message()));
			}
			return failures;
		}, String::length, Integer.MAX_VALUE));
	}

	private Set<String> targets(String exchange, String routingKey) {
		if (exchange.equals(DEFAULT_EXCHANGE)) {
			return Set.of(routingKey);
		}
		Set<Topology.QueueBinding> bindings = this.exchanges.get(exchange);
		if (bindings == null) {
			throw new IllegalStateException("No exchange '" + exchange + "' is declared");
		}
		ExchangeType type = this.exchangeTypes.getOrDefault(exchange, ExchangeType.TOPIC);
		Set<String> targets = new LinkedHashSet<>();
		for (Topology.QueueBinding binding : bindings) {
			if (TopicPattern.forExchange(type, binding.routingKey()).matches(routingKey)) {
				targets.add(binding.queue());
			}
		}
		return targets;
	}

	/**
	 * Returns how long SQS should hide a message whose {@code eta} is ahead: up to 15
	 * minutes, rounded up to whole seconds so that it never arrives early.
	 */
	private static int delaySeconds(WireMessage message) {
		Object eta = message.headers().get("eta");
		Instant due = (eta != null) ? CeleryTime.parse(eta.toString()) : null;
		if (due == null) {
			return 0;
		}
		long millis = Duration.between(Instant.now(), due).toMillis();
		if (millis <= 0) {
			return 0;
		}
		return (int) Math.min(MAX_DELAY.getSeconds(), (millis + 999) / 1000);
	}

	@Override
	public Subscription consume(String queue, ConsumerSettings settings, DeliveryHandler handler) {
		String url = queueUrl(queue, false);
		if (url == null) {
			throw new IllegalArgumentException("No queue '" + queue + "' to consume");
		}
		return new SqsSubscription(this, queue, url, settings, handler);
	}

	@Override
	public @Nullable Delivery get(String queue) {
		String url = queueUrl(queue, false);
		if (url == null) {
			return null;
		}
		List<SqsDelivery> received = receive(queue, url, 1, Duration.ZERO);
		return received.isEmpty() ? null : received.get(0);
	}

	/**
	 * Receives up to {@code max} messages, waiting up to {@code wait} for the first;
	 * drops (deletes) those whose expiration passed while they waited, as RabbitMQ drops
	 * a message whose TTL passed.
	 */
	List<SqsDelivery> receive(String queue, String url, int max, Duration wait) {
		ReceiveMessageResponse response = this.client.receiveMessage((request) -> request.queueUrl(url)
			.maxNumberOfMessages(Math.min(max, BATCH_SIZE))
			.waitTimeSeconds((int) wait.getSeconds())
			.visibilityTimeout((int) this.visibilityTimeout.getSeconds())
			.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
					MessageSystemAttributeName.SENT_TIMESTAMP));
		List<SqsDelivery> deliveries = new ArrayList<>(response.messages().size());
		for (Message message : response.messages()) {
			SqsMessageCodec.Decoded decoded;
			try {
				decoded = this.codec.decode(message.body());
			}
			catch (IllegalArgumentException ex) {
				// a message no one can read is kept whole: it goes where an unreadable
				// message goes on any broker (the worker sends it to the error queue)
				decoded = new SqsMessageCodec.Decoded(new WireMessage(message.body().getBytes(StandardCharsets.UTF_8),
						null, null, Map.of(), null, null, 0, true, null), "", "");
			}
			SqsDelivery delivery = new SqsDelivery(this, queue, url, message.receiptHandle(), decoded,
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
		for (int from = 0; from < deliveries.size(); from += BATCH_SIZE) {
			List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
			List<SqsDelivery> batch = deliveries.subList(from, Math.min(deliveries.size(), from + BATCH_SIZE));
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
		return (int) Math.min(MAX_VISIBILITY_TIMEOUT.getSeconds(), seconds);
	}

	@Override
	public boolean queueExists(String queue) {
		return queueUrl(queue, false) != null;
	}

	@Override
	public long messageCount(String queue) {
		return stats(queue).ready();
	}

	/**
	 * Removes the ready messages by receiving and deleting them ten at a time. SQS's own
	 * {@code PurgeQueue} would also delete the messages in flight, which the broker
	 * contract keeps, and may run only once a minute.
	 */
	@Override
	public long purge(String queue) {
		String url = queueUrl(queue, false);
		if (url == null) {
			return 0;
		}
		long removed = 0;
		while (true) {
			ReceiveMessageResponse response = this.client.receiveMessage((request) -> request.queueUrl(url)
				.maxNumberOfMessages(BATCH_SIZE)
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

	@Override
	public QueueStats stats(String queue) {
		String url = queueUrl(queue, false);
		if (url == null) {
			return new QueueStats(0, 0, this.delayed.countDelayed(queue));
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
					count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)
							+ this.delayed.countDelayed(queue));
		}
		catch (QueueDoesNotExistException ex) {
			this.queueUrls.remove(queue);
			return new QueueStats(0, 0, this.delayed.countDelayed(queue));
		}
	}

	private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
		String value = attributes.get(name);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	/**
	 * Deletes a queue and every message in it; for tools and tests.
	 * @param queue the queue's name
	 */
	public void deleteQueue(String queue) {
		String url = queueUrl(queue, false);
		if (url != null) {
			this.client.deleteQueue((request) -> request.queueUrl(url));
			this.queueUrls.remove(queue);
		}
	}

	/**
	 * Returns a queue's URL, looked up once, creating the queue if allowed.
	 * @param queue the queue's name in the topology
	 * @param create whether to create a missing queue
	 * @return the URL, or {@code null} if the queue does not exist
	 */
	@Nullable String queueUrl(String queue, boolean create) {
		String known = this.queueUrls.get(queue);
		if (known != null) {
			return known;
		}
		String name = sqsQueueName(queue);
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
		this.queueUrls.put(queue, url);
		return url;
	}

	SqsClient client() {
		return this.client;
	}

	/**
	 * A message on its way to one queue.
	 *
	 * @param body the SQS message body
	 * @param delaySeconds how long SQS hides it (standard queues only)
	 */
	private record Outgoing(String body, int delaySeconds) {

	}

	Duration waitTime() {
		return this.waitTime;
	}

}

package io.celeriac.broker.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

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

	private final SqsClient client;

	private final Duration visibilityTimeout;

	private final Duration waitTime;

	private final boolean createQueues;

	private final boolean nativeDelays;

	private final DelayedMessageCounter delayed;

	private final SqsMessageCodec codec = new SqsMessageCodec();

	private final SqsQueues queues;

	private final SqsSenders senders;

	private final SqsMessages messages;

	private final Map<String, Set<Topology.QueueBinding>> exchanges = new ConcurrentHashMap<>();

	private final Map<String, ExchangeType> exchangeTypes = new ConcurrentHashMap<>();

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
		this.queues = new SqsQueues(client, visibilityTimeout);
		this.senders = new SqsSenders(client);
		this.messages = new SqsMessages(this, client, this.codec, visibilityTimeout);
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
		return SqsQueues.name(queue);
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
			int delaySeconds = this.nativeDelays ? SqsSenders.delaySeconds(message) : 0;
			List<CompletableFuture<Void>> sent = new ArrayList<>(2);
			for (String queue : targets(exchange, routingKey)) {
				String url = queueUrl(queue, this.createQueues);
				if (url == null) {
					throw new IllegalStateException("SQS queue '" + sqsQueueName(queue) + "' does not exist");
				}
				sent.add(this.senders.send(queue, url, body, delaySeconds));
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

	List<SqsDelivery> receive(String queue, String url, int max, Duration wait) {
		return this.messages.receive(queue, url, max, wait);
	}

	void delete(SqsDelivery delivery) {
		this.messages.delete(delivery);
	}

	void changeVisibility(SqsDelivery delivery, Duration visibility) {
		this.messages.changeVisibility(delivery, visibility);
	}

	void changeVisibility(String url, List<SqsDelivery> deliveries, Duration visibility) {
		this.messages.changeVisibility(url, deliveries, visibility);
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
	 * Removes the ready messages by receiving and deleting them ten at a time, keeping
	 * those in flight (SQS's own {@code PurgeQueue} would delete them too).
	 */
	@Override
	public long purge(String queue) {
		String url = queueUrl(queue, false);
		return (url != null) ? this.messages.purge(url) : 0;
	}

	@Override
	public QueueStats stats(String queue) {
		QueueStats stats = this.queues.stats(queue);
		return new QueueStats(stats.ready(), stats.inFlight(), stats.delayed() + this.delayed.countDelayed(queue));
	}

	/**
	 * Deletes a queue and every message in it; for tools and tests.
	 * @param queue the queue's name
	 */
	public void deleteQueue(String queue) {
		this.queues.delete(queue);
	}

	/**
	 * Returns a queue's URL, looked up once, creating the queue if allowed.
	 * @param queue the queue's name in the topology
	 * @param create whether to create a missing queue
	 * @return the URL, or {@code null} if the queue does not exist
	 */
	@Nullable String queueUrl(String queue, boolean create) {
		return this.queues.url(queue, create);
	}

	SqsClient client() {
		return this.client;
	}

	Duration waitTime() {
		return this.waitTime;
	}

}

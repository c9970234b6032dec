package io.celeriac.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * A broker on Redis, for applications that have Redis and no RabbitMQ. The topology is
 * emulated: each exchange keeps its declared bindings, and a publish puts the message on
 * every queue whose binding pattern matches the routing key ({@link TopicPattern}, as a
 * RabbitMQ topic exchange does).
 * <p>
 * Each queue is reliable: taking a message moves it atomically into an in-flight sorted
 * set scored by its visibility deadline; acknowledging removes it; rejecting with requeue
 * puts it back at the head, marked redelivered; {@link Delivery#touch(Duration)} moves
 * the deadline; a message whose deadline passed (its consumer died) goes back to the head
 * of the queue, marked redelivered, the next time any consumer looks. While a consumer of
 * this broker lives it touches its deliveries, so only a dead consumer's messages expire.
 * <p>
 * Priorities: each queue has three ready lists served in order, {@code high},
 * {@code medium} and {@code main} (retools' order). A message's priority (AMQP's, higher
 * is more urgent) picks the list: 7 and above {@code high}, 4 to 6 {@code medium}, below
 * 4 {@code main}.
 * <p>
 * Keys: every key of a queue is {@code <prefix>{<queue>}:<what>}, one Redis Cluster hash
 * slot per queue, so each Lua script touches one slot; a publish to several queues (the
 * service queue and the monitor queue) runs one script per queue, so each queue's copy is
 * atomic on its own, and queues spread over the cluster rather than piling into one slot.
 * An exchange's bindings live in {@code <prefix>{<exchange>}:bindings}.
 *
 * @author Celeriac team
 */
public class RedisBroker implements Broker {

	/**
	 * The default visibility timeout.
	 */
	public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

	static final int HIGH_PRIORITY = 7;

	static final int MEDIUM_PRIORITY = 4;

	private static final String[] BANDS = { "high", "medium", "main" };

	private static final int NOTIFY_TOKENS = 1000;

	private static final int SWEEP_LIMIT = 100;

	private final RedisConnectionFactory connectionFactory;

	private final String keyPrefix;

	private final Duration visibilityTimeout;

	private final Duration pollTimeout;

	private final DelayedMessageCounter delayed;

	private final RedisMessageCodec codec = new RedisMessageCodec();

	private final Map<String, TopicPattern> patterns = new ConcurrentHashMap<>();

	private final Map<String, ExchangeType> exchangeTypes = new ConcurrentHashMap<>();

	private final RedisScript<Long> enqueue = script("broker-enqueue", Long.class);

	private final RedisScript<List> claim = script("broker-claim", List.class);

	private final RedisScript<Long> ack = script("broker-ack", Long.class);

	private final RedisScript<Long> requeue = script("broker-requeue", Long.class);

	private final RedisScript<Long> touch = script("broker-touch", Long.class);

	private final RedisScript<Long> purge = script("broker-purge", Long.class);

	/**
	 * Creates a broker with the default visibility timeout.
	 * @param connectionFactory the connection factory (Lettuce)
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this(connectionFactory, keyPrefix, DEFAULT_VISIBILITY_TIMEOUT, Duration.ofSeconds(1));
	}

	/**
	 * Creates a broker.
	 * @param connectionFactory the connection factory (Lettuce)
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param visibilityTimeout how long a delivery stays with a consumer that stopped
	 * touching it (a dead one) before it goes back to its queue
	 * @param pollTimeout how long an idle consumer blocks waiting for a message before it
	 * looks again (and returns expired deliveries); at least a second
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, String keyPrefix, Duration visibilityTimeout,
			Duration pollTimeout) {
		this(connectionFactory, keyPrefix, visibilityTimeout, pollTimeout, DelayedMessageCounter.NONE);
	}

	/**
	 * Creates a broker that reports the delayed tasks of each queue.
	 * @param connectionFactory the connection factory (Lettuce)
	 * @param keyPrefix the prefix of every key, e.g. {@code celeriac:}
	 * @param visibilityTimeout how long a delivery stays with a consumer that stopped
	 * touching it (a dead one) before it goes back to its queue
	 * @param pollTimeout how long an idle consumer blocks waiting for a message before it
	 * looks again (and returns expired deliveries); at least a second
	 * @param delayed counts the delayed tasks waiting to return to each queue (the
	 * delayed task store)
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, String keyPrefix, Duration visibilityTimeout,
			Duration pollTimeout, DelayedMessageCounter delayed) {
		this.delayed = delayed;
		if (visibilityTimeout.toMillis() < 100) {
			throw new IllegalArgumentException(
					"The visibility timeout must be at least 100ms, not " + visibilityTimeout);
		}
		if (keyPrefix.contains("{") || keyPrefix.contains("}")) {
			throw new IllegalArgumentException(
					"The key prefix must not contain '{' or '}' (the broker puts queue names in hash tags): "
							+ keyPrefix);
		}
		this.connectionFactory = connectionFactory;
		this.keyPrefix = keyPrefix;
		this.visibilityTimeout = visibilityTimeout;
		this.pollTimeout = (pollTimeout.getSeconds() < 1) ? Duration.ofSeconds(1) : pollTimeout;
	}

	/**
	 * Returns the visibility timeout.
	 * @return the visibility timeout
	 */
	public Duration visibilityTimeout() {
		return this.visibilityTimeout;
	}

	@Override
	public void declare(Topology topology) {
		this.exchangeTypes.put(topology.exchange(), topology.exchangeType());
		execute((connection) -> {
			for (Topology.QueueBinding binding : topology.bindings()) {
				declareQueue(connection, binding.queue());
				connection.setCommands()
					.sAdd(key("{" + topology.exchange() + "}:bindings"),
							bytes(binding.queue() + "\n" + binding.routingKey()));
			}
			topology.errorQueueNames().forEach((queue) -> declareQueue(connection, queue));
			return null;
		});
	}

	/**
	 * Declares a queue that no exchange but the default one routes to.
	 * @param queue the queue's name
	 */
	public void declareQueue(String queue) {
		execute((connection) -> {
			declareQueue(connection, queue);
			return null;
		});
	}

	private void declareQueue(RedisConnection connection, String queue) {
		connection.stringCommands().set(queueKey(queue, "queue"), bytes("1"));
	}

	@Override
	public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
		try {
			byte[] payload = this.codec
				.encode(new RedisMessageCodec.Envelope(message, routingKey, expiresAt(message.expiration())));
			String id = band(message.priority()) + ":" + UUID.randomUUID();
			execute((connection) -> {
				for (String queue : targets(connection, exchange, routingKey)) {
					run(connection, this.enqueue, ReturnType.INTEGER,
							keys(queueKey(queue, "queue"), readyKey(queue, band(message.priority())),
									queueKey(queue, "messages"), queueKey(queue, "notify")),
							bytes(id), payload, bytes(Integer.toString(NOTIFY_TOKENS)));
				}
				return null;
			});
			return CompletableFuture.completedFuture(null);
		}
		catch (IllegalArgumentException | IllegalStateException | DataAccessException ex) {
			return CompletableFuture.failedFuture(new PublishFailedException("Could not publish to exchange '"
					+ exchange + "' with routing key '" + routingKey + "' on Redis: " + ex.getMessage(), ex));
		}
	}

	private Set<String> targets(RedisConnection connection, String exchange, String routingKey) {
		if (exchange.equals(DEFAULT_EXCHANGE)) {
			return Set.of(routingKey);
		}
		Set<byte[]> bindings = connection.setCommands().sMembers(key("{" + exchange + "}:bindings"));
		if (bindings == null || bindings.isEmpty()) {
			throw new IllegalStateException("No exchange '" + exchange + "' is declared");
		}
		Set<String> targets = new LinkedHashSet<>();
		for (byte[] binding : bindings) {
			String text = new String(binding, StandardCharsets.UTF_8);
			int newline = text.indexOf('\n');
			// the type is this process's declaration, as kombu keeps it (TOPIC if it
			// declared none)
			ExchangeType type = this.exchangeTypes.getOrDefault(exchange, ExchangeType.TOPIC);
			TopicPattern pattern = this.patterns.computeIfAbsent(type + text.substring(newline),
					(cacheKey) -> TopicPattern.forExchange(type, text.substring(newline + 1)));
			if (pattern.matches(routingKey)) {
				targets.add(text.substring(0, newline));
			}
		}
		return targets;
	}

	@Override
	public Subscription consume(String queue, ConsumerSettings settings, DeliveryHandler handler) {
		return consume(List.of(queue), settings, handler);
	}

	/**
	 * Consumes the queues in priority order: each consumer takes from the first queue of
	 * the list that has a message, so a later queue is served only while every earlier
	 * one is empty (retools' {@code high,medium,main}); {@code settings.concurrency()}
	 * consumers serve the whole list. An idle consumer blocks on every queue's notify
	 * list at once ({@code BLPOP} of several keys, which Redis Cluster allows only within
	 * one hash slot: with a cluster, consume one queue per worker).
	 */
	@Override
	public Subscription consume(List<String> queues, ConsumerSettings settings, DeliveryHandler handler) {
		if (queues.isEmpty()) {
			throw new IllegalArgumentException("No queue to consume");
		}
		for (String queue : queues) {
			if (!queueExists(queue)) {
				throw new IllegalArgumentException("No queue '" + queue + "' to consume");
			}
		}
		return new RedisSubscription(this, queues, settings, handler);
	}

	@Override
	public @Nullable Delivery get(String queue) {
		return execute((connection) -> claim(connection, queue));
	}

	@Nullable RedisDelivery claim(RedisConnection connection, String queue) {
		while (true) {
			List<?> claimed = run(connection, this.claim, ReturnType.MULTI,
					keys(readyKey(queue, 0), readyKey(queue, 1), readyKey(queue, 2), queueKey(queue, "inflight"),
							queueKey(queue, "messages"), queueKey(queue, "redelivered"), queueKey(queue, "notify")),
					bytes(Long.toString(this.visibilityTimeout.toMillis())), bytes(Integer.toString(SWEEP_LIMIT)));
			if (claimed == null || claimed.isEmpty() || claimed.get(0) == null) {
				return null;
			}
			String id = new String((byte[]) claimed.get(0), StandardCharsets.UTF_8);
			RedisMessageCodec.Envelope envelope = this.codec.decode((byte[]) claimed.get(1));
			// times the message came back unsettled (a message stored by an older
			// version,
			// which marked a redelivery with 1, counts one)
			long returns = ((Number) claimed.get(2)).longValue();
			RedisDelivery delivery = new RedisDelivery(this, queue, id, envelope, returns);
			if (envelope.expiresAt() != Long.MAX_VALUE && System.currentTimeMillis() >= envelope.expiresAt()) {
				// expired while waiting, as RabbitMQ drops a message whose TTL passed
				delivery.reject(false);
				continue;
			}
			return delivery;
		}
	}

	/**
	 * Blocks until a message may have arrived on one of the queues, or the poll timeout
	 * passed.
	 * @param connection a connection of the consumer's own
	 * @param queues the queues
	 */
	void awaitNotification(RedisConnection connection, List<String> queues) {
		byte[][] keys = new byte[queues.size()][];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = queueKey(queues.get(i), "notify");
		}
		connection.listCommands().bLPop((int) this.pollTimeout.getSeconds(), keys);
	}

	void settle(RedisDelivery delivery, boolean requeue) {
		String queue = delivery.queue();
		execute((connection) -> {
			if (requeue) {
				return run(
						connection, this.requeue, ReturnType.INTEGER, keys(readyKey(queue, delivery.band()),
								queueKey(queue, "inflight"), queueKey(queue, "redelivered"), queueKey(queue, "notify")),
						bytes(delivery.id()));
			}
			return run(connection, this.ack, ReturnType.INTEGER,
					keys(queueKey(queue, "inflight"), queueKey(queue, "messages"), queueKey(queue, "redelivered")),
					bytes(delivery.id()));
		});
	}

	boolean touch(RedisDelivery delivery, Duration extension) {
		Long touched = execute((connection) -> run(connection, this.touch, ReturnType.INTEGER,
				keys(queueKey(delivery.queue(), "inflight")), bytes(delivery.id()),
				bytes(Long.toString(extension.toMillis()))));
		return touched != null && touched == 1;
	}

	@Override
	public boolean queueExists(String queue) {
		Boolean exists = execute((connection) -> connection.keyCommands().exists(queueKey(queue, "queue")));
		return Boolean.TRUE.equals(exists);
	}

	@Override
	public long messageCount(String queue) {
		return stats(queue).ready();
	}

	@Override
	public long purge(String queue) {
		Long removed = execute((connection) -> run(connection, this.purge, ReturnType.INTEGER, keys(readyKey(queue, 0),
				readyKey(queue, 1), readyKey(queue, 2), queueKey(queue, "messages"), queueKey(queue, "redelivered"))));
		return (removed != null) ? removed : 0;
	}

	@Override
	public QueueStats stats(String queue) {
		QueueStats stats = execute((connection) -> {
			long ready = 0;
			for (int band = 0; band < BANDS.length; band++) {
				Long length = connection.listCommands().lLen(readyKey(queue, band));
				ready += (length != null) ? length : 0;
			}
			Long inFlight = connection.zSetCommands().zCard(queueKey(queue, "inflight"));
			return new QueueStats(ready, (inFlight != null) ? inFlight : 0, 0);
		});
		if (stats == null) {
			return QueueStats.EMPTY;
		}
		return new QueueStats(stats.ready(), stats.inFlight(), this.delayed.countDelayed(queue));
	}

	/**
	 * Deletes a queue and every message in it, and its bindings; for tools and tests.
	 * @param queue the queue's name
	 */
	public void deleteQueue(String queue) {
		execute((connection) -> {
			List<byte[]> keys = new ArrayList<>();
			keys.add(queueKey(queue, "queue"));
			for (int band = 0; band < BANDS.length; band++) {
				keys.add(readyKey(queue, band));
			}
			for (String what : List.of("inflight", "messages", "redelivered", "notify")) {
				keys.add(queueKey(queue, what));
			}
			return connection.keyCommands().del(keys.toArray(byte[][]::new));
		});
	}

	static int band(int priority) {
		if (priority >= HIGH_PRIORITY) {
			return 0;
		}
		return (priority >= MEDIUM_PRIORITY) ? 1 : 2;
	}

	private static long expiresAt(@Nullable String expiration) {
		if (expiration == null) {
			return Long.MAX_VALUE;
		}
		try {
			return System.currentTimeMillis() + Long.parseLong(expiration.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Expiration '" + expiration + "' is not a number of milliseconds");
		}
	}

	<T> @Nullable T execute(Function<RedisConnection, @Nullable T> action) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return action.apply(connection);
		}
	}

	RedisConnection openConnection() {
		return this.connectionFactory.getConnection();
	}

	@SuppressWarnings("unchecked")
	private static <T> @Nullable T run(RedisConnection connection, RedisScript<?> script, ReturnType type,
			byte[][] keys, byte[]... arguments) {
		byte[][] keysAndArguments = new byte[keys.length + arguments.length][];
		System.arraycopy(keys, 0, keysAndArguments, 0, keys.length);
		System.arraycopy(arguments, 0, keysAndArguments, keys.length, arguments.length);
		try {
			return (T) connection.scriptingCommands().evalSha(script.getSha1(), type, keys.length, keysAndArguments);
		}
		catch (DataAccessException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return (T) connection.scriptingCommands()
				.eval(bytes(script.getScriptAsString()), type, keys.length, keysAndArguments);
		}
	}

	private static boolean isNoScript(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (String.valueOf(cause.getMessage()).contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	private static byte[][] keys(byte[]... keys) {
		return keys;
	}

	private byte[] key(String name) {
		return bytes(this.keyPrefix + name);
	}

	private byte[] queueKey(String queue, String what) {
		return key("{" + queue + "}:" + what);
	}

	private byte[] readyKey(String queue, int band) {
		return queueKey(queue, "ready:" + BANDS[band]);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static <T> RedisScript<T> script(String name, Class<T> type) {
		// read once: a script on a resource checks the resource for changes (and computes
		// its SHA under a lock) on every call, which cost more than the call itself
		String path = "META-INF/celeriac/" + name + ".lua";
		try (InputStream source = new ClassPathResource(path).getInputStream()) {
			return RedisScript.of(StreamUtils.copyToString(source, StandardCharsets.UTF_8), type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + path, ex);
		}
	}

}

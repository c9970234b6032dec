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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

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
import io.celeriac.redis.RedisDeadline;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.StreamUtils;

/**
 * A broker on Redis in the layout of kombu's Redis transport (kombu 5.2, Celery 5.2's),
 * so that Python Celery on {@code redis://} and Java share queues, bindings and
 * unacknowledged messages:
 * <ul>
 * <li>a queue is a list per priority step, named as kombu names them: {@code queue},
 * {@code queue\x06\x163}, {@code queue\x06\x166}, {@code queue\x06\x169}; a producer
 * LPUSHes kombu's JSON envelope (base64 body), a consumer takes from the other end, the
 * lists in that order;</li>
 * <li>an exchange's bindings are the set {@code _kombu.binding.<exchange>} of
 * {@code routing_key\x06\x16pattern\x06\x16queue}, the pattern being the regular
 * expression of kombu's virtual topic exchange ({@code #}, {@code *}); a binding without
 * pattern routes as kombu's direct exchange (equal routing keys);</li>
 * <li>a message taken and not yet settled is in the {@code unacked} hash (delivery tag →
 * {@code [envelope, exchange, routing_key]}) and the {@code unacked_index} sorted set
 * (delivery tag → delivery time in seconds); acknowledging removes it from both; a
 * message unsettled for longer than the visibility timeout goes back to its queue
 * (kombu's {@code restore_visible}, under the {@code unacked_mutex} lock), marked
 * redelivered; rejecting with requeue puts it at the back of its queue, as kombu's
 * {@code reject(requeue=True)} does.</li>
 * </ul>
 * Every key is under the key prefix (kombu's {@code global_keyprefix} transport option).
 * Celeriac adds keys that kombu ignores: {@code _celeriac.queues} (the declared queues),
 * {@code _celeriac.unacked_queue} (the queue each unacknowledged message of a Celeriac
 * consumer came from) and {@code _celeriac.notify.<queue>} (wake-ups for idle Celeriac
 * consumers). Taking a message and recording it unacknowledged is one Lua script, so a
 * killed consumer loses nothing; a live consumer touches its deliveries, moving their
 * {@code unacked_index} score, so that only a dead consumer's messages come back.
 * <p>
 * Priorities are kombu's on Redis: {@code properties.priority} 0 to 9 picks the step
 * (0-2, 3-5, 6-8, 9) and the lists are served from step 0: a lower number is more urgent,
 * the reverse of AMQP, as in Celery on Redis.
 *
 * @author Celeriac team
 */
public class RedisBroker implements Broker {

	/**
	 * The default visibility timeout.
	 */
	public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * kombu's separator between a queue name and its priority step, and between the
	 * fields of a binding.
	 */
	public static final String SEPARATOR = "\u0006\u0016";

	/**
	 * kombu's priority steps.
	 */
	static final int[] PRIORITY_STEPS = { 0, 3, 6, 9 };

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	private static final String UNACKED = "unacked";

	private static final String UNACKED_INDEX = "unacked_index";

	private static final String UNACKED_MUTEX = "unacked_mutex";

	private static final String UNACKED_QUEUE = "_celeriac.unacked_queue";

	private static final String QUEUES = "_celeriac.queues";

	private static final String BINDINGS = "_kombu.binding.";

	private static final Duration MUTEX_EXPIRY = Duration.ofMinutes(5);

	private static final int NOTIFY_TOKENS = 1000;

	private static final int RESTORE_LIMIT = 100;

	private final RedisConnectionFactory connectionFactory;

	private final String keyPrefix;

	private final String fanoutPrefix;

	private final Duration visibilityTimeout;

	private final Duration pollTimeout;

	private final long restoreInterval;

	private final DelayedMessageCounter delayed;

	private final RedisMessageCodec codec = new RedisMessageCodec();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

	private final AtomicLong lastRestore = new AtomicLong();

	private final RedisScript<Long> put = script("broker-put", Long.class);

	private final Map<String, ExchangeType> exchangeTypes = new ConcurrentHashMap<>();

	private final RedisScript<List> claim = script("broker-claim", List.class);

	private final RedisScript<Long> ack = script("broker-ack", Long.class);

	private final RedisScript<Long> restore = script("broker-restore", Long.class);

	private final RedisScript<Long> touch = script("broker-touch", Long.class);

	private final RedisScript<Long> purge = script("broker-purge", Long.class);

	private final RedisScript<Long> inFlight = script("broker-in-flight", Long.class);

	private final RedisScript<Long> unlock = script("broker-unlock", Long.class);

	/**
	 * Creates a broker with the default visibility timeout.
	 * @param connectionFactory the connection factory (Lettuce)
	 * @param keyPrefix the prefix of every key (kombu's {@code global_keyprefix}), e.g.
	 * {@code celeriac:}, or empty
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this(connectionFactory, keyPrefix, DEFAULT_VISIBILITY_TIMEOUT, Duration.ofSeconds(1));
	}

	/**
	 * Creates a broker.
	 * @param connectionFactory the connection factory (Lettuce)
	 * @param keyPrefix the prefix of every key (kombu's {@code global_keyprefix})
	 * @param visibilityTimeout how long a delivery stays with a consumer that stopped
	 * touching it (a dead one) before it goes back to its queue
	 * @param pollTimeout how long an idle consumer blocks waiting for a message before it
	 * looks again (a message published by kombu wakes no Celeriac consumer, so it waits
	 * up to this long); at least a second
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, String keyPrefix, Duration visibilityTimeout,
			Duration pollTimeout) {
		this(connectionFactory, keyPrefix, visibilityTimeout, pollTimeout, DelayedMessageCounter.NONE);
	}

	/**
	 * Creates a broker that reports the delayed tasks of each queue.
	 * @param connectionFactory the connection factory (Lettuce)
	 * @param keyPrefix the prefix of every key (kombu's {@code global_keyprefix})
	 * @param visibilityTimeout how long a delivery stays with a consumer that stopped
	 * touching it (a dead one) before it goes back to its queue
	 * @param pollTimeout how long an idle consumer blocks waiting for a message before it
	 * looks again; at least a second
	 * @param delayed counts the delayed tasks waiting to return to each queue (the
	 * delayed task store)
	 */
	public RedisBroker(RedisConnectionFactory connectionFactory, String keyPrefix, Duration visibilityTimeout,
			Duration pollTimeout, DelayedMessageCounter delayed) {
		if (visibilityTimeout.toMillis() < 100) {
			throw new IllegalArgumentException(
					"celeriac.broker.visibility-timeout must be at least 100ms, not " + visibilityTimeout);
		}
		this.delayed = delayed;
		this.connectionFactory = connectionFactory;
		this.keyPrefix = keyPrefix;
		int database = (connectionFactory instanceof LettuceConnectionFactory lettuce) ? lettuce.getDatabase() : 0;
		this.fanoutPrefix = "/" + database + ".";
		this.visibilityTimeout = visibilityTimeout;
		this.pollTimeout = (pollTimeout.getSeconds() < 1) ? Duration.ofSeconds(1) : pollTimeout;
		this.restoreInterval = Math.max(10, Math.min(1000, visibilityTimeout.toMillis() / 4));
	}

	/**
	 * Returns the prefix of every key (kombu's {@code global_keyprefix}).
	 * @return the prefix, possibly empty
	 */
	public String keyPrefix() {
		return this.keyPrefix;
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
				connection.setCommands()
					.sAdd(key(BINDINGS + topology.exchange()), bytes(binding.routingKey() + SEPARATOR
							+ topicPattern(binding.routingKey()) + SEPARATOR + binding.queue()));
				connection.setCommands().sAdd(key(QUEUES), bytes(binding.queue()));
			}
			topology.errorQueueNames().forEach((queue) -> connection.setCommands().sAdd(key(QUEUES), bytes(queue)));
			return null;
		});
	}

	/**
	 * Declares a queue that no exchange but the default one routes to.
	 * @param queue the queue's name
	 */
	public void declareQueue(String queue) {
		execute((connection) -> connection.setCommands().sAdd(key(QUEUES), bytes(queue)));
	}

	/**
	 * Returns the regular expression that kombu's virtual topic exchange stores for a
	 * binding key ({@code TopicExchange.key_to_pattern}): {@code *} is {@code .*?[^\.]},
	 * {@code #} is {@code .*?}, anything else but letters, digits and dots is escaped.
	 * @param bindingKey the binding key
	 * @return the pattern, e.g. {@code ^reports$}
	 */
	static String topicPattern(String bindingKey) {
		StringBuilder escaped = new StringBuilder();
		bindingKey.codePoints().forEach((c) -> {
			if (!(Character.isLetterOrDigit(c) || c == '.' || c == '#' || c == '*')) {
				escaped.append('\\');
			}
			escaped.appendCodePoint(c);
		});
		List<String> words = new ArrayList<>();
		for (String word : escaped.toString().split("\\.", -1)) {
			words.add(switch (word) {
				case "*" -> ".*?[^\\.]";
				case "#" -> ".*?";
				default -> word;
			});
		}
		return "^" + String.join("\\.", words) + "$";
	}

	@Override
	public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
		try {
			long expiresAt = expiresAt(message.expiration());
			execute((connection) -> {
				for (String queue : targets(connection, exchange, routingKey)) {
					// each copy has a delivery tag of its own: kombu gives the copies of
					// a
					// topic publish one tag, and their unacked entries would collide
					byte[] payload = this.codec.encode(message, exchange, routingKey, expiresAt);
					run(connection, this.put, ReturnType.INTEGER,
							keys(listKey(queue, message.priority()), notifyKey(queue)), payload,
							bytes(Integer.toString(NOTIFY_TOKENS)));
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

	/**
	 * Publishes a message to a fanout exchange as kombu's Redis transport does: a
	 * {@code PUBLISH} on the channel {@code /<db>.<exchange>} (with
	 * {@code /<routing key>} appended when there is one, kombu's
	 * {@code fanout_patterns}), under the key prefix; only subscribers listening at that
	 * moment receive it (Celery's pidbox and events).
	 * @param exchange the fanout exchange, e.g. {@code celery.pidbox}
	 * @param routingKey the routing key, or empty
	 * @param message the message
	 * @return how many subscribers received it
	 */
	public long publishFanout(String exchange, String routingKey, WireMessage message) {
		byte[] payload = this.codec.encode(message, exchange, routingKey, expiresAt(message.expiration()));
		Long received = execute(
				(connection) -> connection.publish(bytes(fanoutChannel(exchange, routingKey)), payload));
		return (received != null) ? received : 0;
	}

	/**
	 * Receives the messages published to a fanout exchange as kombu's Redis transport
	 * consumes them: a {@code PSUBSCRIBE} of {@code /<db>.<exchange>} (with
	 * {@code /<binding key>} appended when there is one, {@code #} as {@code *}, kombu's
	 * {@code _get_subscribe_topic}), under the key prefix. What is published while no
	 * subscription is listening is lost, as with kombu.
	 * @param exchange the fanout exchange, e.g. {@code celery.pidbox}, or
	 * {@code celeryev} (Celery makes its event exchange a fanout one on Redis)
	 * @param bindingKey the binding key, or empty for every message published without
	 * routing key
	 * @param listener receives each message, on the subscription's thread
	 * @return the running subscription
	 */
	public Subscription subscribeFanout(String exchange, String bindingKey, Consumer<WireMessage> listener) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.connectionFactory);
		container.setTaskExecutor(new SyncTaskExecutor());
		container.addMessageListener((message, pattern) -> {
			try {
				listener.accept(this.codec.decode(message.getBody(), "").message());
			}
			catch (RuntimeException ex) {
				logger.warn("A message from fanout exchange '{}' could not be handled", exchange, ex);
			}
		}, new PatternTopic(fanoutChannel(exchange, bindingKey.replace('#', '*'))));
		container.afterPropertiesSet();
		container.start();
		return new Subscription() {

			@Override
			public void stop(Duration timeout) {
				try {
					container.destroy();
				}
				catch (Exception ex) {
					logger.debug("Could not stop listening to fanout exchange '{}'", exchange, ex);
				}
			}

			@Override
			public boolean isRunning() {
				return container.isRunning();
			}

		};
	}

	/**
	 * Returns the channel that kombu publishes a fanout message on
	 * ({@code _get_publish_topic}), key prefix included.
	 * @param exchange the fanout exchange
	 * @param routingKey the routing key, or empty
	 * @return the channel, e.g. {@code /0.celery.pidbox}
	 */
	public String fanoutChannel(String exchange, String routingKey) {
		return this.keyPrefix + this.fanoutPrefix + exchange + (routingKey.isEmpty() ? "" : "/" + routingKey);
	}

	private Set<String> targets(RedisConnection connection, String exchange, String routingKey) {
		if (exchange.equals(DEFAULT_EXCHANGE)) {
			return Set.of(routingKey);
		}
		Set<byte[]> bindings = connection.setCommands().sMembers(key(BINDINGS + exchange));
		if (bindings == null || bindings.isEmpty()) {
			throw new IllegalStateException(
					"No exchange '" + exchange + "' is declared (no " + this.keyPrefix + BINDINGS + exchange + " set)");
		}
		Set<String> targets = new LinkedHashSet<>();
		for (byte[] binding : bindings) {
			String[] fields = new String(binding, StandardCharsets.UTF_8).split(SEPARATOR, -1);
			if (fields.length != 3) {
				continue;
			}
			// the type is this process's declaration, as kombu keeps it (TOPIC if it
			// declared none)
			ExchangeType type = this.exchangeTypes.getOrDefault(exchange, ExchangeType.TOPIC);
			// a topic binding is matched by the regex kombu stored with it, so that
			// Python's
			// bindings route alike; direct and fanout as every other broker reads them
			boolean matches;
			if (type != ExchangeType.TOPIC) {
				matches = TopicPattern.forExchange(type, fields[0]).matches(routingKey);
			}
			else if (fields[1].isEmpty()) {
				matches = fields[0].equals(routingKey);
			}
			else {
				matches = this.patterns.computeIfAbsent(fields[1], Pattern::compile).matcher(routingKey).lookingAt();
			}
			if (matches) {
				targets.add(fields[2]);
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
	 * the list that has a message (retools' {@code high,medium,main}), and within a queue
	 * from its most urgent priority step; {@code settings.concurrency()} consumers serve
	 * the whole list. An idle consumer blocks on the queues' notify lists at once
	 * ({@code BLPOP} of several keys).
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
		restoreVisibleIfDue();
		return execute((connection) -> claim(connection, queue));
	}

	@Nullable RedisDelivery claim(RedisConnection connection, String queue) {
		while (true) {
			byte[][] lists = queueLists(queue);
			byte[][] keys = new byte[3 + lists.length][];
			keys[0] = key(UNACKED);
			keys[1] = key(UNACKED_INDEX);
			keys[2] = key(UNACKED_QUEUE);
			System.arraycopy(lists, 0, keys, 3, lists.length);
			List<?> claimed = run(connection, this.claim, ReturnType.MULTI, keys, bytes(queue),
					bytes(seconds(System.currentTimeMillis())));
			if (claimed == null || claimed.isEmpty() || claimed.get(0) == null) {
				return null;
			}
			byte[] payload = (byte[]) claimed.get(0);
			String tag = new String((byte[]) claimed.get(1), StandardCharsets.UTF_8);
			RedisDelivery delivery = new RedisDelivery(this, queue, tag, payload, this.codec.decode(payload, queue));
			if (delivery.expiresAt() != Long.MAX_VALUE && System.currentTimeMillis() >= delivery.expiresAt()) {
				// expired while waiting, as RabbitMQ drops a message whose TTL passed
				delivery.reject(false);
				continue;
			}
			return delivery;
		}
	}

	/**
	 * Blocks until a Celeriac producer may have put a message on one of the queues, or
	 * the poll timeout passed.
	 * @param connection a connection of the consumer's own
	 * @param queues the queues
	 */
	void awaitNotification(RedisConnection connection, List<String> queues) {
		byte[][] keys = new byte[queues.size()][];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = notifyKey(queues.get(i));
		}
		RedisDeadline.blocking(this.pollTimeout,
				() -> connection.listCommands().bLPop((int) this.pollTimeout.getSeconds(), keys));
	}

	void settle(RedisDelivery delivery, boolean requeue) {
		execute((connection) -> {
			if (requeue) {
				return giveBack(connection, delivery.tag(), null, this.codec.redelivered(delivery.payload()),
						List.of(delivery.queue()), delivery.message().priority(), true);
			}
			return run(connection, this.ack, ReturnType.INTEGER,
					keys(key(UNACKED), key(UNACKED_INDEX), key(UNACKED_QUEUE)), bytes(delivery.tag()));
		});
	}

	private Long giveBack(RedisConnection connection, String tag, byte @Nullable [] expected, byte[] payload,
			Iterable<String> queues, int priority, boolean atTheBack) {
		List<byte[]> keys = new ArrayList<>(List.of(key(UNACKED), key(UNACKED_INDEX), key(UNACKED_QUEUE)));
		for (String queue : queues) {
			keys.add(listKey(queue, priority));
			keys.add(notifyKey(queue));
		}
		return run(connection, this.restore, ReturnType.INTEGER, keys.toArray(byte[][]::new), bytes(tag),
				(expected != null) ? expected : new byte[0], payload, bytes(atTheBack ? "1" : "0"),
				bytes(Integer.toString(NOTIFY_TOKENS)));
	}

	boolean touch(RedisDelivery delivery, Duration extension) {
		long score = System.currentTimeMillis() + extension.toMillis() - this.visibilityTimeout.toMillis();
		Long touched = execute((connection) -> run(connection, this.touch, ReturnType.INTEGER,
				keys(key(UNACKED), key(UNACKED_INDEX)), bytes(delivery.tag()), bytes(seconds(score))));
		return touched != null && touched == 1;
	}

	/**
	 * Returns the messages unacknowledged for longer than the visibility timeout to their
	 * queue, as kombu's {@code restore_visible} does: at most every quarter of the
	 * visibility timeout (and at most every second) per broker, and only while holding
	 * {@code unacked_mutex}, so that one consumer of the fleet, Java or Python, restores
	 * at a time. A message taken by a Celeriac consumer goes back to the queue it came
	 * from; one taken by kombu goes where its exchange and routing key route it, as kombu
	 * restores it.
	 */
	void restoreVisibleIfDue() {
		long now = System.currentTimeMillis();
		long last = this.lastRestore.get();
		if (now - last < this.restoreInterval || !this.lastRestore.compareAndSet(last, now)) {
			return;
		}
		try {
			execute((connection) -> {
				restoreVisible(connection, now);
				return null;
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Could not restore the unacknowledged messages whose visibility timeout passed", ex);
		}
	}

	private void restoreVisible(RedisConnection connection, long now) {
		double ceiling = (now - this.visibilityTimeout.toMillis()) / 1000.0;
		Set<byte[]> due = connection.zSetCommands()
			.zRangeByScore(key(UNACKED_INDEX), Double.NEGATIVE_INFINITY, ceiling, 0, RESTORE_LIMIT);
		if (due == null || due.isEmpty()) {
			return;
		}
		byte[] token = bytes(UUID.randomUUID().toString());
		Boolean locked = connection.stringCommands()
			.set(key(UNACKED_MUTEX), token, Expiration.from(MUTEX_EXPIRY), SetOption.ifAbsent());
		if (!Boolean.TRUE.equals(locked)) {
			return;
		}
		try {
			for (byte[] tag : due) {
				restore(connection, new String(tag, StandardCharsets.UTF_8));
			}
		}
		finally {
			run(connection, this.unlock, ReturnType.INTEGER, keys(key(UNACKED_MUTEX)), token);
		}
	}

	private void restore(RedisConnection connection, String tag) {
		byte[] entry = connection.hashCommands().hGet(key(UNACKED), bytes(tag));
		if (entry == null) {
			connection.zSetCommands().zRem(key(UNACKED_INDEX), bytes(tag));
			return;
		}
		JsonNode fields;
		try {
			fields = this.mapper.readTree(entry);
		}
		catch (JacksonException ex) {
			logger.error("Unacknowledged message {} is not [envelope, exchange, routing_key]; left in {}unacked", tag,
					this.keyPrefix);
			return;
		}
		byte[] payload = this.mapper.writeValueAsBytes(fields.path(0));
		String exchange = fields.path(1).asString("");
		String routingKey = fields.path(2).asString("");
		byte[] queue = connection.hashCommands().hGet(key(UNACKED_QUEUE), bytes(tag));
		Iterable<String> queues;
		if (queue != null) {
			queues = List.of(new String(queue, StandardCharsets.UTF_8));
		}
		else {
			try {
				queues = targets(connection, exchange, routingKey);
			}
			catch (IllegalStateException ex) {
				logger.error("Unacknowledged message {} cannot be restored: {}", tag, ex.getMessage());
				return;
			}
		}
		RedisMessageCodec.Envelope envelope = this.codec.decode(payload, routingKey);
		giveBack(connection, tag, entry, this.codec.redelivered(payload), queues, envelope.message().priority(), false);
	}

	@Override
	public boolean queueExists(String queue) {
		Boolean exists = execute((connection) -> {
			if (Boolean.TRUE.equals(connection.setCommands().sIsMember(key(QUEUES), bytes(queue)))) {
				return true;
			}
			Long lists = connection.keyCommands().exists(queueLists(queue));
			return lists != null && lists > 0;
		});
		return Boolean.TRUE.equals(exists);
	}

	@Override
	public long messageCount(String queue) {
		return stats(queue).ready();
	}

	@Override
	public long purge(String queue) {
		Long removed = execute((connection) -> run(connection, this.purge, ReturnType.INTEGER, queueLists(queue)));
		return (removed != null) ? removed : 0;
	}

	@Override
	public QueueStats stats(String queue) {
		QueueStats stats = execute((connection) -> {
			long ready = 0;
			for (byte[] list : queueLists(queue)) {
				Long length = connection.listCommands().lLen(list);
				ready += (length != null) ? length : 0;
			}
			Long inFlight = run(connection, this.inFlight, ReturnType.INTEGER, keys(key(UNACKED), key(UNACKED_QUEUE)),
					bytes(queue));
			return new QueueStats(ready, (inFlight != null) ? inFlight : 0, 0);
		});
		if (stats == null) {
			return QueueStats.EMPTY;
		}
		return new QueueStats(stats.ready(), stats.inFlight(), this.delayed.countDelayed(queue));
	}

	/**
	 * Deletes a queue and every ready message in it; for tools and tests.
	 * @param queue the queue's name
	 */
	public void deleteQueue(String queue) {
		execute((connection) -> {
			List<byte[]> keys = new ArrayList<>(List.of(queueLists(queue)));
			keys.add(notifyKey(queue));
			connection.setCommands().sRem(key(QUEUES), bytes(queue));
			return connection.keyCommands().del(keys.toArray(byte[][]::new));
		});
	}

	/**
	 * Returns the priority step of a priority, as kombu's {@code Channel.priority} does:
	 * the largest step not above it (0 to 9; out of range counts as the bound).
	 * @param priority the message's priority
	 * @return 0, 3, 6 or 9
	 */
	static int step(int priority) {
		int clamped = Math.max(0, Math.min(9, priority));
		int step = PRIORITY_STEPS[0];
		for (int candidate : PRIORITY_STEPS) {
			if (candidate <= clamped) {
				step = candidate;
			}
		}
		return step;
	}

	/**
	 * Returns the name of the list that holds a queue's messages of a priority, as
	 * kombu's {@code _q_for_pri} does, without the key prefix.
	 * @param queue the queue
	 * @param priority the priority
	 * @return e.g. {@code reports} or {@code reports\x06\x166}
	 */
	static String listName(String queue, int priority) {
		int step = step(priority);
		return (step == 0) ? queue : queue + SEPARATOR + step;
	}

	private byte[] listKey(String queue, int priority) {
		return key(listName(queue, priority));
	}

	private byte[][] queueLists(String queue) {
		byte[][] lists = new byte[PRIORITY_STEPS.length][];
		for (int i = 0; i < lists.length; i++) {
			lists[i] = listKey(queue, PRIORITY_STEPS[i]);
		}
		return lists;
	}

	private byte[] notifyKey(String queue) {
		return key("_celeriac.notify." + queue);
	}

	private static String seconds(long millis) {
		return Double.toString(millis / 1000.0);
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

package io.celeriac.broker.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import io.celeriac.broker.Broker;
import io.celeriac.broker.ConsumerSettings;
import io.celeriac.broker.DelayedMessageCounter;
import io.celeriac.broker.Delivery;
import io.celeriac.broker.DeliveryHandler;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.broker.QueueStats;
import io.celeriac.broker.Subscription;
import io.celeriac.protocol.WireMessage;
import io.celeriac.redis.RedisDeadline;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.celeriac.broker.redis.RedisKeys.bytes;
import static io.celeriac.broker.redis.RedisKeys.keys;

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

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	private final RedisConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final Duration visibilityTimeout;

	private final Duration pollTimeout;

	private final DelayedMessageCounter delayed;

	private final RedisMessageCodec codec = new RedisMessageCodec();

	private final RedisScripts scripts = new RedisScripts();

	private final RedisBindings bindings;

	private final RedisUnacked unacked;

	private final RedisFanout fanout;

	private final RedisQueues queues;

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
		int database = (connectionFactory instanceof LettuceConnectionFactory lettuce) ? lettuce.getDatabase() : 0;
		this.keys = new RedisKeys(keyPrefix, database);
		this.visibilityTimeout = visibilityTimeout;
		this.pollTimeout = (pollTimeout.getSeconds() < 1) ? Duration.ofSeconds(1) : pollTimeout;
		this.bindings = new RedisBindings(this.keys);
		this.unacked = new RedisUnacked(this.keys, this.scripts, this.bindings, this.codec, visibilityTimeout);
		this.fanout = new RedisFanout(connectionFactory, this.keys, this.codec);
		this.queues = new RedisQueues(this.keys, this.scripts);
	}

	/**
	 * Returns the prefix of every key (kombu's {@code global_keyprefix}).
	 * @return the prefix, possibly empty
	 */
	public String keyPrefix() {
		return this.keys.prefix();
	}

	/**
	 * Returns the visibility timeout.
	 * @return the visibility timeout
	 */
	public Duration visibilityTimeout() {
		return this.visibilityTimeout;
	}

	/**
	 * Declares the topology's bindings and queues in Redis, and remembers them: should
	 * Redis lose them (a restart without persistence), the next publish to the exchange
	 * declares them again.
	 */
	@Override
	public void declare(Topology topology) {
		execute((connection) -> {
			this.bindings.declare(connection, topology);
			return null;
		});
	}

	/**
	 * Declares a queue that no exchange but the default one routes to.
	 * @param queue the queue's name
	 */
	public void declareQueue(String queue) {
		execute((connection) -> {
			this.queues.declare(connection, queue);
			return null;
		});
	}

	@Override
	public CompletableFuture<Void> publish(String exchange, String routingKey, WireMessage message) {
		try {
			long expiresAt = RedisMessageCodec.expiresAt(message.expiration());
			execute((connection) -> {
				for (String queue : this.bindings.targetsRedeclaring(connection, exchange, routingKey)) {
					// each copy has a delivery tag of its own: kombu gives the copies of
					// a topic publish one tag, and their unacked entries would collide
					byte[] payload = this.codec.encode(message, exchange, routingKey, expiresAt);
					RedisScripts.run(connection, this.scripts.put, ReturnType.INTEGER,
							keys(this.keys.list(queue, message.priority()), this.keys.notify(queue)), payload,
							bytes(Integer.toString(RedisUnacked.NOTIFY_TOKENS)));
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
		return this.fanout.publish(exchange, routingKey, message, RedisMessageCodec.expiresAt(message.expiration()));
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
		return this.fanout.subscribe(exchange, bindingKey, listener);
	}

	/**
	 * Returns the channel that kombu publishes a fanout message on
	 * ({@code _get_publish_topic}), key prefix included.
	 * @param exchange the fanout exchange
	 * @param routingKey the routing key, or empty
	 * @return the channel, e.g. {@code /0.celery.pidbox}
	 */
	public String fanoutChannel(String exchange, String routingKey) {
		return this.keys.fanoutChannel(exchange, routingKey);
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
		return this.unacked.claim(connection, queue, this);
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
			keys[i] = this.keys.notify(queues.get(i));
		}
		RedisDeadline.blocking(this.pollTimeout,
				() -> connection.listCommands().bLPop((int) this.pollTimeout.getSeconds(), keys));
	}

	void settle(RedisDelivery delivery, boolean requeue) {
		execute((connection) -> this.unacked.settle(connection, delivery, requeue));
	}

	boolean touch(RedisDelivery delivery, Duration extension) {
		return Boolean.TRUE.equals(execute((connection) -> this.unacked.touch(connection, delivery, extension)));
	}

	/**
	 * Returns the messages unacknowledged for longer than the visibility timeout to their
	 * queue (kombu's {@code restore_visible}), at most every quarter of the visibility
	 * timeout (and at most every second) per broker.
	 */
	void restoreVisibleIfDue() {
		long now = System.currentTimeMillis();
		if (!this.unacked.restoreDue(now)) {
			return;
		}
		try {
			execute((connection) -> {
				this.unacked.restoreVisible(connection, now);
				return null;
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Could not restore the unacknowledged messages whose visibility timeout passed", ex);
		}
	}

	@Override
	public boolean queueExists(String queue) {
		return Boolean.TRUE.equals(execute((connection) -> this.queues.exists(connection, queue)));
	}

	@Override
	public long messageCount(String queue) {
		return stats(queue).ready();
	}

	@Override
	public long purge(String queue) {
		Long removed = execute((connection) -> this.queues.purge(connection, queue));
		return (removed != null) ? removed : 0;
	}

	@Override
	public QueueStats stats(String queue) {
		QueueStats stats = execute((connection) -> this.queues.stats(connection, queue));
		return (stats != null) ? new QueueStats(stats.ready(), stats.inFlight(), this.delayed.countDelayed(queue))
				: QueueStats.EMPTY;
	}

	/**
	 * Deletes a queue and every ready message in it; for tools and tests.
	 * @param queue the queue's name
	 */
	public void deleteQueue(String queue) {
		execute((connection) -> {
			this.queues.delete(connection, queue);
			return null;
		});
	}

	<T> @Nullable T execute(Function<RedisConnection, @Nullable T> action) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return action.apply(connection);
		}
	}

	RedisConnection openConnection() {
		return this.connectionFactory.getConnection();
	}

}

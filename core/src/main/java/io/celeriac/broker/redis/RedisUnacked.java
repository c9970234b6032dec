package io.celeriac.broker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.types.Expiration;

import static io.celeriac.broker.redis.RedisKeys.UNACKED;
import static io.celeriac.broker.redis.RedisKeys.UNACKED_INDEX;
import static io.celeriac.broker.redis.RedisKeys.UNACKED_MUTEX;
import static io.celeriac.broker.redis.RedisKeys.UNACKED_QUEUE;
import static io.celeriac.broker.redis.RedisKeys.bytes;
import static io.celeriac.broker.redis.RedisKeys.keys;

/**
 * The messages taken and not yet settled, in kombu's {@code unacked} hash (delivery tag →
 * {@code [envelope, exchange, routing_key]}) and {@code unacked_index} sorted set
 * (delivery tag → delivery time in seconds): acknowledging removes a message from both,
 * rejecting with requeue puts it at the back of its queue as kombu's
 * {@code reject(requeue=True)} does, touching moves its score, and a message unsettled
 * for longer than the visibility timeout goes back to its queue as kombu's
 * {@code restore_visible} does, under the {@code unacked_mutex} lock, marked redelivered.
 *
 * @author Celeriac team
 */
final class RedisUnacked {

	private static final Logger logger = LoggerFactory.getLogger(RedisUnacked.class);

	private static final Duration MUTEX_EXPIRY = Duration.ofMinutes(5);

	private static final int RESTORE_LIMIT = 100;

	/**
	 * How many wake-up tokens a queue's notify list keeps.
	 */
	static final int NOTIFY_TOKENS = 1000;

	private final RedisKeys keys;

	private final RedisScripts scripts;

	private final RedisBindings bindings;

	private final RedisMessageCodec codec;

	private final Duration visibilityTimeout;

	private final long restoreInterval;

	private final AtomicLong lastRestore = new AtomicLong();

	private final JsonMapper mapper = JsonMapper.builder().build();

	RedisUnacked(RedisKeys keys, RedisScripts scripts, RedisBindings bindings, RedisMessageCodec codec,
			Duration visibilityTimeout) {
		this.keys = keys;
		this.scripts = scripts;
		this.bindings = bindings;
		this.codec = codec;
		this.visibilityTimeout = visibilityTimeout;
		this.restoreInterval = Math.max(10, Math.min(1000, visibilityTimeout.toMillis() / 4));
	}

	/**
	 * Takes the next message of a queue and records it unacknowledged, in one script. An
	 * entry that cannot be read is delivered as an
	 * {@link io.celeriac.protocol.WireMessage#unreadable(byte[], String) unreadable
	 * message}, which the worker moves to the error queue, so that it neither stops the
	 * consumer nor comes back; a message whose expiration passed is dropped.
	 * @param connection the connection
	 * @param queue the queue
	 * @param broker the broker the delivery is settled through
	 * @return the delivery, or {@code null} when the queue is empty
	 */
	@Nullable RedisDelivery claim(RedisConnection connection, String queue, RedisBroker broker) {
		while (true) {
			byte[][] lists = this.keys.queueLists(queue);
			byte[][] keys = new byte[3 + lists.length][];
			keys[0] = this.keys.key(UNACKED);
			keys[1] = this.keys.key(UNACKED_INDEX);
			keys[2] = this.keys.key(UNACKED_QUEUE);
			System.arraycopy(lists, 0, keys, 3, lists.length);
			List<?> claimed = RedisScripts.run(connection, this.scripts.claim, ReturnType.MULTI, keys, bytes(queue),
					bytes(seconds(System.currentTimeMillis())));
			if (claimed == null || claimed.isEmpty() || claimed.get(0) == null) {
				return null;
			}
			byte[] payload = (byte[]) claimed.get(0);
			String tag = new String((byte[]) claimed.get(1), StandardCharsets.UTF_8);
			RedisDelivery delivery = new RedisDelivery(broker, queue, tag, payload, this.codec.decode(payload, queue));
			if (delivery.expiresAt() != Long.MAX_VALUE && System.currentTimeMillis() >= delivery.expiresAt()) {
				// expired while waiting, as RabbitMQ drops a message whose TTL passed
				delivery.reject(false);
				continue;
			}
			return delivery;
		}
	}

	@Nullable Long settle(RedisConnection connection, RedisDelivery delivery, boolean requeue) {
		if (requeue) {
			return giveBack(connection, delivery.tag(), null, this.codec.redelivered(delivery.payload()),
					List.of(delivery.queue()), delivery.message().priority(), true);
		}
		return RedisScripts.run(connection, this.scripts.ack, ReturnType.INTEGER,
				keys(this.keys.key(UNACKED), this.keys.key(UNACKED_INDEX), this.keys.key(UNACKED_QUEUE)),
				bytes(delivery.tag()));
	}

	boolean touch(RedisConnection connection, RedisDelivery delivery, Duration extension) {
		long score = System.currentTimeMillis() + extension.toMillis() - this.visibilityTimeout.toMillis();
		Long touched = RedisScripts.run(connection, this.scripts.touch, ReturnType.INTEGER,
				keys(this.keys.key(UNACKED), this.keys.key(UNACKED_INDEX)), bytes(delivery.tag()),
				bytes(seconds(score)));
		return touched != null && touched == 1;
	}

	/**
	 * Tells whether it is time to return the messages whose visibility timeout passed: at
	 * most every quarter of the visibility timeout (and at most every second) per broker.
	 * @return whether the caller should {@link #restoreVisible(RedisConnection, long)}
	 * now
	 */
	boolean restoreDue(long now) {
		long last = this.lastRestore.get();
		return now - last >= this.restoreInterval && this.lastRestore.compareAndSet(last, now);
	}

	/**
	 * Returns the messages unacknowledged for longer than the visibility timeout to their
	 * queue, as kombu's {@code restore_visible} does, only while holding
	 * {@code unacked_mutex}, so that one consumer of the fleet, Java or Python, restores
	 * at a time. A message taken by a Celeriac consumer goes back to the queue it came
	 * from; one taken by kombu goes where its exchange and routing key route it, as kombu
	 * restores it.
	 * @param connection the connection
	 * @param now the time now, epoch milliseconds
	 */
	void restoreVisible(RedisConnection connection, long now) {
		double ceiling = (now - this.visibilityTimeout.toMillis()) / 1000.0;
		Set<byte[]> due = connection.zSetCommands()
			.zRangeByScore(this.keys.key(UNACKED_INDEX), Double.NEGATIVE_INFINITY, ceiling, 0, RESTORE_LIMIT);
		if (due == null || due.isEmpty()) {
			return;
		}
		byte[] token = bytes(UUID.randomUUID().toString());
		Boolean locked = connection.stringCommands()
			.set(this.keys.key(UNACKED_MUTEX), token, Expiration.from(MUTEX_EXPIRY), SetOption.ifAbsent());
		if (!Boolean.TRUE.equals(locked)) {
			return;
		}
		try {
			for (byte[] tag : due) {
				restore(connection, new String(tag, StandardCharsets.UTF_8));
			}
		}
		finally {
			RedisScripts.run(connection, this.scripts.unlock, ReturnType.INTEGER, keys(this.keys.key(UNACKED_MUTEX)),
					token);
		}
	}

	private void restore(RedisConnection connection, String tag) {
		byte[] entry = connection.hashCommands().hGet(this.keys.key(UNACKED), bytes(tag));
		if (entry == null) {
			connection.zSetCommands().zRem(this.keys.key(UNACKED_INDEX), bytes(tag));
			return;
		}
		JsonNode fields;
		try {
			fields = this.mapper.readTree(entry);
		}
		catch (JacksonException ex) {
			logger.error("Unacknowledged message {} is not [envelope, exchange, routing_key]; left in {}unacked", tag,
					this.keys.prefix());
			return;
		}
		byte[] payload = this.mapper.writeValueAsBytes(fields.path(0));
		String exchange = fields.path(1).asString("");
		String routingKey = fields.path(2).asString("");
		byte[] queue = connection.hashCommands().hGet(this.keys.key(UNACKED_QUEUE), bytes(tag));
		Iterable<String> queues;
		if (queue != null) {
			queues = List.of(new String(queue, StandardCharsets.UTF_8));
		}
		else {
			try {
				queues = this.bindings.targetsRedeclaring(connection, exchange, routingKey);
			}
			catch (IllegalStateException ex) {
				logger.error("Unacknowledged message {} cannot be restored: {}", tag, ex.getMessage());
				return;
			}
		}
		RedisMessageCodec.Envelope envelope = this.codec.decode(payload, routingKey);
		giveBack(connection, tag, entry, this.codec.redelivered(payload), queues, envelope.message().priority(), false);
	}

	private @Nullable Long giveBack(RedisConnection connection, String tag, byte @Nullable [] expected, byte[] payload,
			Iterable<String> queues, int priority, boolean atTheBack) {
		List<byte[]> keys = new ArrayList<>(
				List.of(this.keys.key(UNACKED), this.keys.key(UNACKED_INDEX), this.keys.key(UNACKED_QUEUE)));
		for (String queue : queues) {
			keys.add(this.keys.list(queue, priority));
			keys.add(this.keys.notify(queue));
		}
		return RedisScripts.run(connection, this.scripts.restore, ReturnType.INTEGER, keys.toArray(byte[][]::new),
				bytes(tag), (expected != null) ? expected : new byte[0], payload, bytes(atTheBack ? "1" : "0"),
				bytes(Integer.toString(NOTIFY_TOKENS)));
	}

	static String seconds(long millis) {
		return Double.toString(millis / 1000.0);
	}

}

package io.celeriac.broker.redis;

import java.nio.charset.StandardCharsets;

/**
 * The names of the Redis broker's keys in kombu's layout, under the key prefix (kombu's
 * {@code global_keyprefix}): a queue's list per priority step, the {@code unacked}
 * structures, the bindings of an exchange, the fanout channels, and the keys Celeriac
 * adds (the declared queues, the queue of each unacknowledged message, the wake-up lists
 * of idle consumers).
 *
 * @author Celeriac team
 */
final class RedisKeys {

	static final String UNACKED = "unacked";

	static final String UNACKED_INDEX = "unacked_index";

	static final String UNACKED_MUTEX = "unacked_mutex";

	static final String UNACKED_QUEUE = "_celeriac.unacked_queue";

	static final String QUEUES = "_celeriac.queues";

	static final String BINDINGS = "_kombu.binding.";

	/**
	 * kombu's priority steps.
	 */
	static final int[] PRIORITY_STEPS = { 0, 3, 6, 9 };

	private final String prefix;

	private final String fanoutPrefix;

	RedisKeys(String prefix, int database) {
		this.prefix = prefix;
		this.fanoutPrefix = "/" + database + ".";
	}

	String prefix() {
		return this.prefix;
	}

	byte[] key(String name) {
		return bytes(this.prefix + name);
	}

	byte[] bindings(String exchange) {
		return key(BINDINGS + exchange);
	}

	byte[] list(String queue, int priority) {
		return key(listName(queue, priority));
	}

	/**
	 * Returns a queue's lists, most urgent first.
	 * @param queue the queue
	 * @return the keys of its lists
	 */
	byte[][] queueLists(String queue) {
		byte[][] lists = new byte[PRIORITY_STEPS.length][];
		for (int i = 0; i < lists.length; i++) {
			lists[i] = list(queue, PRIORITY_STEPS[i]);
		}
		return lists;
	}

	byte[] notify(String queue) {
		return key("_celeriac.notify." + queue);
	}

	/**
	 * Returns the channel that kombu publishes a fanout message on
	 * ({@code _get_publish_topic}), key prefix included.
	 * @param exchange the fanout exchange
	 * @param routingKey the routing key, or empty
	 * @return the channel, e.g. {@code /0.celery.pidbox}
	 */
	String fanoutChannel(String exchange, String routingKey) {
		return this.prefix + this.fanoutPrefix + exchange + (routingKey.isEmpty() ? "" : "/" + routingKey);
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
		return (step == 0) ? queue : queue + RedisBroker.SEPARATOR + step;
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static byte[][] keys(byte[]... keys) {
		return keys;
	}

}

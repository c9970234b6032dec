package io.celeriac.broker.redis;

import java.util.ArrayList;
import java.util.List;

import io.celeriac.broker.QueueStats;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

import static io.celeriac.broker.redis.RedisKeys.QUEUES;
import static io.celeriac.broker.redis.RedisKeys.UNACKED;
import static io.celeriac.broker.redis.RedisKeys.UNACKED_QUEUE;
import static io.celeriac.broker.redis.RedisKeys.bytes;
import static io.celeriac.broker.redis.RedisKeys.keys;

/**
 * The Redis broker's queues as kombu lays them out (a list per priority step): whether
 * one exists (declared in Celeriac's {@code _celeriac.queues} set, or holding messages),
 * how many messages wait in it and how many are taken, purging and deleting it.
 *
 * @author Celeriac team
 */
final class RedisQueues {

	private final RedisKeys keys;

	private final RedisScripts scripts;

	RedisQueues(RedisKeys keys, RedisScripts scripts) {
		this.keys = keys;
		this.scripts = scripts;
	}

	void declare(RedisConnection connection, String queue) {
		connection.setCommands().sAdd(this.keys.key(QUEUES), bytes(queue));
	}

	boolean exists(RedisConnection connection, String queue) {
		if (Boolean.TRUE.equals(connection.setCommands().sIsMember(this.keys.key(QUEUES), bytes(queue)))) {
			return true;
		}
		Long lists = connection.keyCommands().exists(this.keys.queueLists(queue));
		return lists != null && lists > 0;
	}

	long purge(RedisConnection connection, String queue) {
		Long removed = RedisScripts.run(connection, this.scripts.purge, ReturnType.INTEGER,
				this.keys.queueLists(queue));
		return (removed != null) ? removed : 0;
	}

	/**
	 * Counts a queue's ready and taken messages.
	 * @param connection the connection
	 * @param queue the queue
	 * @return the counts, without delayed tasks
	 */
	QueueStats stats(RedisConnection connection, String queue) {
		long ready = 0;
		for (byte[] list : this.keys.queueLists(queue)) {
			Long length = connection.listCommands().lLen(list);
			ready += (length != null) ? length : 0;
		}
		Long inFlight = RedisScripts.run(connection, this.scripts.inFlight, ReturnType.INTEGER,
				keys(this.keys.key(UNACKED), this.keys.key(UNACKED_QUEUE)), bytes(queue));
		return new QueueStats(ready, (inFlight != null) ? inFlight : 0, 0);
	}

	void delete(RedisConnection connection, String queue) {
		List<byte[]> keys = new ArrayList<>(List.of(this.keys.queueLists(queue)));
		keys.add(this.keys.notify(queue));
		connection.setCommands().sRem(this.keys.key(QUEUES), bytes(queue));
		connection.keyCommands().del(keys.toArray(byte[][]::new));
	}

}

package io.celeriac.test.services;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.jspecify.annotations.Nullable;

/**
 * What one test class may create on the shared servers without meeting another's: a
 * queue-name prefix, a Redis key prefix and a PostgreSQL schema, all unique to the class.
 * When the class is done, every Redis key under the prefix, every queue and exchange
 * named through {@link #queue(String)} and {@link #exchange(String)}, and the schema are
 * removed.
 *
 * @author Celeriac team
 */
public final class ServiceIsolation implements AutoCloseable {

	private final String id = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private final Supplier<RedisEndpoint> redis;

	private final Supplier<RabbitEndpoint> rabbit;

	private final Supplier<PostgresEndpoint> postgres;

	private final Set<String> queues = ConcurrentHashMap.newKeySet();

	private final Set<String> exchanges = ConcurrentHashMap.newKeySet();

	private volatile boolean redisUsed;

	private volatile @Nullable String schema;

	ServiceIsolation(Supplier<RedisEndpoint> redis, Supplier<RabbitEndpoint> rabbit,
			Supplier<PostgresEndpoint> postgres) {
		this.redis = redis;
		this.rabbit = rabbit;
		this.postgres = postgres;
	}

	/**
	 * Returns the queue-name prefix of this class, for
	 * {@code celeriac.topology.queue-name-prefix}. Queues whose names start with it are
	 * not removed unless they were named through {@link #queue(String)}.
	 * @return a prefix such as {@code it3f9a2c1b07-}
	 */
	public String queueNamePrefix() {
		return this.id + "-";
	}

	/**
	 * Returns the Redis key prefix of this class; every key under it is removed
	 * afterwards.
	 * @return a prefix such as {@code it3f9a2c1b07:}
	 */
	public String redisKeyPrefix() {
		this.redisUsed = true;
		return this.id + ":";
	}

	/**
	 * Returns a queue name unique to this class, and removes the queue afterwards.
	 * @param name the name within the test
	 * @return the prefixed name
	 */
	public String queue(String name) {
		String queue = queueNamePrefix() + name;
		this.queues.add(queue);
		return queue;
	}

	/**
	 * Records a queue created under another name (e.g. by the code under test) so that it
	 * is removed afterwards.
	 * @param queue the full queue name
	 */
	public void removeAfterwards(String queue) {
		this.queues.add(queue);
	}

	/**
	 * Returns an exchange name unique to this class, and removes the exchange afterwards.
	 * @param name the name within the test
	 * @return the prefixed name
	 */
	public String exchange(String name) {
		String exchange = queueNamePrefix() + name;
		this.exchanges.add(exchange);
		return exchange;
	}

	/**
	 * Returns the PostgreSQL schema of this class, creating it on first use; it is
	 * dropped with everything in it afterwards.
	 * @return the schema name
	 */
	public synchronized String schema() {
		String existing = this.schema;
		if (existing != null) {
			return existing;
		}
		String created = this.id;
		execute(this.postgres.get(), "CREATE SCHEMA " + created);
		this.schema = created;
		return created;
	}

	/**
	 * Returns a JDBC URL of the PostgreSQL database whose default schema is this class's.
	 * @return the URL
	 */
	public String jdbcUrl() {
		String url = this.postgres.get().jdbcUrl();
		return url + ((url.contains("?")) ? "&" : "?") + "currentSchema=" + schema();
	}

	@Override
	public void close() throws Exception {
		List<Exception> failures = new ArrayList<>();
		if (this.redisUsed) {
			run(failures, this::removeRedisKeys);
		}
		if (!this.queues.isEmpty() || !this.exchanges.isEmpty()) {
			run(failures, this::removeQueuesAndExchanges);
		}
		String created = this.schema;
		if (created != null) {
			run(failures, () -> execute(this.postgres.get(), "DROP SCHEMA IF EXISTS " + created + " CASCADE"));
		}
		if (!failures.isEmpty()) {
			IllegalStateException failure = new IllegalStateException("Could not clean up after " + this.id);
			failures.forEach(failure::addSuppressed);
			throw failure;
		}
	}

	private void removeRedisKeys() {
		RedisClient client = RedisClient.create(this.redis.get().uri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			ScanArgs match = ScanArgs.Builder.matches(this.id + ":*").limit(500);
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> page = commands.scan(cursor, match);
				if (!page.getKeys().isEmpty()) {
					commands.unlink(page.getKeys().toArray(String[]::new));
				}
				cursor = page;
			}
			while (!cursor.isFinished());
		}
		finally {
			client.shutdown();
		}
	}

	private void removeQueuesAndExchanges() throws Exception {
		RabbitEndpoint endpoint = this.rabbit.get();
		ConnectionFactory factory = endpoint.connectionFactory();
		try (com.rabbitmq.client.Connection connection = factory.newConnection("celeriac-test-cleanup");
				Channel channel = connection.createChannel()) {
			for (String queue : this.queues) {
				channel.queueDelete(queue);
			}
			for (String exchange : this.exchanges) {
				channel.exchangeDelete(exchange);
			}
		}
	}

	private static void execute(PostgresEndpoint endpoint, String sql) {
		try (Connection connection = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.username(),
				endpoint.password()); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on " + endpoint, ex);
		}
	}

	private static void run(List<Exception> failures, Cleanup cleanup) {
		try {
			cleanup.run();
		}
		catch (Exception ex) {
			failures.add(ex);
		}
	}

	@FunctionalInterface
	private interface Cleanup {

		void run() throws Exception;

	}

	@Override
	public String toString() {
		return "ServiceIsolation[" + this.id + "]";
	}

}

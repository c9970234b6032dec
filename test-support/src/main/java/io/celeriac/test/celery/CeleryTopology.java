package io.celeriac.test.celery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.test.services.PostgresEndpoint;
import io.celeriac.test.services.RabbitEndpoint;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.SqsEndpoint;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The broker layout that the Python Celery app of {@link PythonCelery} uses, as the
 * cadasta worker toolbox lays it out: a durable topic exchange; a queue
 * {@code <prefix>celery} bound {@code celery}; the monitor queue
 * {@code <prefix>platform.fifo} bound {@code #}; one queue {@code <prefix><service>} per
 * service bound with the service's (unprefixed) name. Tasks are routed to the exchange
 * with the first segment of their name as routing key.
 *
 * @param brokerUrl the AMQP URL as kombu takes it
 * @param exchange the topic exchange
 * @param queueNamePrefix the prefix of every queue name, e.g. {@code it3f9a2c1b07-}
 * @param services the service queues, unprefixed (e.g. {@code pyservice})
 * @param monitorQueue the monitor queue, unprefixed, or {@code null} for none
 * @param declare whether the Python side declares the exchange, queues and bindings;
 * {@code false} uses what exists (kombu {@code no_declare}), e.g. when the Java side has
 * declared them with arguments of its own
 * @param queueArguments arguments for every queue the Python side declares, e.g.
 * {@code x-queue-type}
 * @param resultBackend the Celery result backend URL, or {@code null} for none
 * @author Celeriac team
 */
public record CeleryTopology(String brokerUrl, String exchange, String queueNamePrefix, List<String> services,
		@Nullable String monitorQueue, boolean declare, Map<String, Object> queueArguments,
		@Nullable String resultBackend) {

	/**
	 * The default monitor queue name.
	 */
	public static final String MONITOR_QUEUE = "platform.fifo";

	/**
	 * The queue that Celery's own tasks ({@code celery.*}) are routed to.
	 */
	public static final String CELERY_QUEUE = "celery";

	public CeleryTopology {
		if (services.isEmpty()) {
			throw new IllegalArgumentException("At least one service queue is needed");
		}
		services = List.copyOf(services);
		queueArguments = Map.copyOf(queueArguments);
	}

	/**
	 * Returns a topology on the given broker with the monitor queue
	 * {@value #MONITOR_QUEUE}, declared by the Python side without queue arguments.
	 * @param rabbit the broker
	 * @param exchange the topic exchange, e.g.
	 * {@code isolation.exchange("task_exchange")}
	 * @param queueNamePrefix the queue-name prefix, e.g.
	 * {@code isolation.queueNamePrefix()}
	 * @param services the service queues, unprefixed
	 * @return the topology
	 */
	public static CeleryTopology of(RabbitEndpoint rabbit, String exchange, String queueNamePrefix,
			String... services) {
		return new CeleryTopology(brokerUrl(rabbit), exchange, queueNamePrefix, List.of(services), MONITOR_QUEUE, true,
				Map.of(), null);
	}

	/**
	 * Returns the AMQP URL of a broker as kombu takes it (the virtual host URL-encoded,
	 * {@code /} as {@code %2F}).
	 * @param rabbit the broker
	 * @return the URL
	 */
	/**
	 * Returns a topology on an SQS server (kombu's SQS transport, whose exchanges and
	 * bindings live in each connection's memory) with the monitor queue
	 * {@value #MONITOR_QUEUE}.
	 * @param sqs the server
	 * @param exchange the topic exchange
	 * @param queueNamePrefix the queue-name prefix
	 * @param services the service queues, unprefixed
	 * @return the topology
	 */
	public static CeleryTopology of(SqsEndpoint sqs, String exchange, String queueNamePrefix, String... services) {
		return new CeleryTopology(brokerUrl(sqs), exchange, queueNamePrefix, List.of(services), MONITOR_QUEUE, true,
				Map.of(), null);
	}

	/**
	 * Returns Celery's broker URL of an SQS server: {@code sqs://KEY:SECRET@HOST:PORT},
	 * which kombu's SQS transport turns into the endpoint {@code http://HOST:PORT}.
	 * @param sqs the server
	 * @return the URL
	 */
	public static String brokerUrl(SqsEndpoint sqs) {
		return "sqs://" + encode(sqs.accessKeyId()) + ":" + encode(sqs.secretAccessKey()) + "@" + sqs.host() + ":"
				+ sqs.port();
	}

	/**
	 * Returns a topology on a Redis server (kombu's Redis transport: bindings in
	 * {@code _kombu.binding.*} sets, queues as lists) with the monitor queue
	 * {@value #MONITOR_QUEUE}, every key under a prefix.
	 * @param redis the server
	 * @param keyPrefix kombu's {@code global_keyprefix}, e.g.
	 * {@code isolation.redisKeyPrefix()}, as {@code celeriac.redis.key-prefix} on the
	 * Java side
	 * @param exchange the topic exchange
	 * @param queueNamePrefix the queue-name prefix
	 * @param services the service queues, unprefixed
	 * @return the topology
	 */
	public static CeleryTopology of(RedisEndpoint redis, String keyPrefix, String exchange, String queueNamePrefix,
			String... services) {
		return new CeleryTopology(brokerUrl(redis, keyPrefix), exchange, queueNamePrefix, List.of(services),
				MONITOR_QUEUE, true, Map.of(), null);
	}

	/**
	 * Returns Celery's broker URL of a Redis server, database 0:
	 * {@code redis://HOST:PORT/0?global_keyprefix=PREFIX}; the Python app of
	 * {@link PythonCelery} takes {@code global_keyprefix} out of the URL into kombu's
	 * transport options.
	 * @param redis the server
	 * @param keyPrefix the prefix of every key, or empty
	 * @return the URL
	 */
	public static String brokerUrl(RedisEndpoint redis, String keyPrefix) {
		return "redis://" + redis.host() + ":" + redis.port() + "/0"
				+ (keyPrefix.isEmpty() ? "" : "?global_keyprefix=" + encode(keyPrefix));
	}

	/**
	 * Returns the AMQP URL of a broker as kombu takes it (the virtual host URL-encoded,
	 * {@code /} as {@code %2F}).
	 * @param rabbit the broker
	 * @return the URL
	 */
	public static String brokerUrl(RabbitEndpoint rabbit) {
		return "amqp://" + encode(rabbit.username()) + ":" + encode(rabbit.password()) + "@" + rabbit.host() + ":"
				+ rabbit.port() + "/" + encode(rabbit.virtualHost());
	}

	/**
	 * Returns a copy with another monitor queue.
	 * @param monitorQueue the monitor queue, unprefixed, or {@code null} for none
	 * @return the copy
	 */
	public CeleryTopology withMonitorQueue(@Nullable String monitorQueue) {
		return new CeleryTopology(this.brokerUrl, this.exchange, this.queueNamePrefix, this.services, monitorQueue,
				this.declare, this.queueArguments, this.resultBackend);
	}

	/**
	 * Returns a copy whose Python side declares nothing and uses the exchange, queues and
	 * bindings that exist.
	 * @return the copy
	 */
	public CeleryTopology withoutDeclaring() {
		return new CeleryTopology(this.brokerUrl, this.exchange, this.queueNamePrefix, this.services, this.monitorQueue,
				false, this.queueArguments, this.resultBackend);
	}

	/**
	 * Returns a copy whose Python side declares every queue with these arguments.
	 * @param queueArguments the queue arguments
	 * @return the copy
	 */
	public CeleryTopology withQueueArguments(Map<String, Object> queueArguments) {
		return new CeleryTopology(this.brokerUrl, this.exchange, this.queueNamePrefix, this.services, this.monitorQueue,
				this.declare, queueArguments, this.resultBackend);
	}

	/**
	 * Returns a copy whose Python side stores task results in a Celery result backend
	 * ({@code result_extended} on), so that {@link PythonCelery#sendTaskAndWait} can read
	 * them.
	 * @param resultBackend the backend URL, e.g. from
	 * {@link #databaseResultBackend(PostgresEndpoint, String)}
	 * @return the copy
	 */
	public CeleryTopology withResultBackend(String resultBackend) {
		return new CeleryTopology(this.brokerUrl, this.exchange, this.queueNamePrefix, this.services, this.monitorQueue,
				this.declare, this.queueArguments, resultBackend);
	}

	/**
	 * Returns the URL of Celery's database result backend ({@code db+postgresql}) on a
	 * PostgreSQL database, with every table and sequence Celery creates in the given
	 * schema (its search path), e.g. {@code isolation.schema()}.
	 * @param postgres the database
	 * @param schema the schema, which must exist
	 * @return the URL
	 */
	public static String databaseResultBackend(PostgresEndpoint postgres, String schema) {
		String jdbcUrl = postgres.jdbcUrl();
		String prefix = "jdbc:postgresql://";
		if (!jdbcUrl.startsWith(prefix)) {
			throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
		}
		String location = jdbcUrl.substring(prefix.length());
		int query = location.indexOf('?');
		String hostAndDatabase = (query >= 0) ? location.substring(0, query) : location;
		return "db+postgresql://" + encode(postgres.username()) + ":" + encode(postgres.password()) + "@"
				+ hostAndDatabase + "?options=" + encode("-csearch_path=" + schema);
	}

	/**
	 * Returns the full name of a queue of this topology.
	 * @param name the unprefixed name, e.g. {@code pyservice}
	 * @return the prefixed name
	 */
	public String queueName(String name) {
		return this.queueNamePrefix + name;
	}

	/**
	 * Returns the full name of the monitor queue.
	 * @return the prefixed name, or {@code null} when there is none
	 */
	public @Nullable String monitorQueueName() {
		return (this.monitorQueue != null) ? queueName(this.monitorQueue) : null;
	}

	/**
	 * Returns every queue the Python app declares (for
	 * {@code ServiceIsolation.removeAfterwards}): the celery queue, the monitor queue and
	 * the service queues.
	 * @return the prefixed names
	 */
	public List<String> queueNames() {
		List<String> names = new ArrayList<>();
		names.add(queueName(CELERY_QUEUE));
		if (this.monitorQueue != null) {
			names.add(queueName(this.monitorQueue));
		}
		for (String service : this.services) {
			if (!service.equals(CELERY_QUEUE) && !service.equals(this.monitorQueue)) {
				names.add(queueName(service));
			}
		}
		return names;
	}

	/**
	 * Returns the environment variables that configure the Python app
	 * ({@code celeriac_interop.py}) with this topology.
	 * @return the variables
	 */
	public Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("INTEROP_BROKER_URL", this.brokerUrl);
		environment.put("INTEROP_EXCHANGE", this.exchange);
		environment.put("INTEROP_QUEUE_PREFIX", this.queueNamePrefix);
		environment.put("INTEROP_SERVICES", String.join(",", this.services));
		environment.put("INTEROP_MONITOR_QUEUE", (this.monitorQueue != null) ? this.monitorQueue : "");
		environment.put("INTEROP_DECLARE", this.declare ? "1" : "0");
		environment.put("INTEROP_QUEUE_ARGUMENTS",
				this.queueArguments.isEmpty() ? "" : JsonMapper.shared().writeValueAsString(this.queueArguments));
		environment.put("INTEROP_RESULT_BACKEND", (this.resultBackend != null) ? this.resultBackend : "");
		return environment;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}

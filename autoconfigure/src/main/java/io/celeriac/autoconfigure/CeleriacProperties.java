package io.celeriac.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.celeriac.topology.QueueType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for Celeriac, under the {@code celeriac} prefix.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac")
public class CeleriacProperties {

	private final Broker broker = new Broker();

	private final Topology topology = new Topology();

	private final Worker worker = new Worker();

	private final Result result = new Result();

	private final Cache cache = new Cache();

	private final Lock lock = new Lock();

	private final Limiter limiter = new Limiter();

	private final Redis redis = new Redis();

	private final Scheduler scheduler = new Scheduler();

	public Broker getBroker() {
		return this.broker;
	}

	public Topology getTopology() {
		return this.topology;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Result getResult() {
		return this.result;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Lock getLock() {
		return this.lock;
	}

	public Limiter getLimiter() {
		return this.limiter;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Scheduler getScheduler() {
		return this.scheduler;
	}

	/**
	 * Where tasks are published and consumed.
	 */
	public static class Broker {

		/**
		 * Broker backend. When unset: rabbit if spring.rabbitmq.host, addresses or port
		 * is set, memory otherwise.
		 */
		private @Nullable BrokerType type;

		/**
		 * How long publishing a task waits for the broker's confirmation before it fails.
		 */
		private Duration confirmTimeout = Duration.ofSeconds(10);

		public @Nullable BrokerType getType() {
			return this.type;
		}

		public void setType(@Nullable BrokerType type) {
			this.type = type;
		}

		public Duration getConfirmTimeout() {
			return this.confirmTimeout;
		}

		public void setConfirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
		}

	}

	/**
	 * The Celery-style topology on the broker.
	 */
	public static class Topology {

		/**
		 * Name of the durable topic exchange every task is published to.
		 */
		private String exchange = "task_exchange";

		/**
		 * Prefix of every queue name, naming the environment. When unset: the
		 * QUEUE_PREFIX environment variable followed by '-', or 'dev-' without it.
		 */
		private @Nullable String queueNamePrefix;

		/**
		 * Name, without prefix, of the monitor queue, which is bound with '#' and so
		 * receives a copy of every task. Empty for no monitor queue.
		 */
		private String monitorQueue = "platform.fifo";

		/**
		 * Services that have a queue, besides those of this application's tasks. Every
		 * producer should know every service queue.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * Type of the declared queues.
		 */
		private QueueType queueType = QueueType.CLASSIC;

		/**
		 * Suffix that turns a queue's name into the name of its error queue.
		 */
		private String errorQueueSuffix = ".error";

		/**
		 * Whether to declare the exchange, queues and bindings at startup.
		 */
		private boolean declare = true;

		public String getExchange() {
			return this.exchange;
		}

		public void setExchange(String exchange) {
			this.exchange = exchange;
		}

		public @Nullable String getQueueNamePrefix() {
			return this.queueNamePrefix;
		}

		public void setQueueNamePrefix(@Nullable String queueNamePrefix) {
			this.queueNamePrefix = queueNamePrefix;
		}

		public String getMonitorQueue() {
			return this.monitorQueue;
		}

		public void setMonitorQueue(String monitorQueue) {
			this.monitorQueue = monitorQueue;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public QueueType getQueueType() {
			return this.queueType;
		}

		public void setQueueType(QueueType queueType) {
			this.queueType = queueType;
		}

		public String getErrorQueueSuffix() {
			return this.errorQueueSuffix;
		}

		public void setErrorQueueSuffix(String errorQueueSuffix) {
			this.errorQueueSuffix = errorQueueSuffix;
		}

		public boolean isDeclare() {
			return this.declare;
		}

		public void setDeclare(boolean declare) {
			this.declare = declare;
		}

	}

	/**
	 * The worker that runs this application's tasks.
	 */
	public static class Worker {

		/**
		 * Whether this application runs a worker.
		 */
		private boolean enabled = true;

		/**
		 * Services whose queues the worker consumes (names without prefix). When empty:
		 * the services of this application's tasks.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * How many tasks run at once, per queue. When unset: the number of processors.
		 */
		private @Nullable Integer concurrency;

		/**
		 * How many messages each consumer holds unacknowledged, ahead of the one it runs.
		 */
		private int prefetch = 10;

		/**
		 * Largest message body the worker accepts; a larger one goes to the error queue.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(10);

		/**
		 * How long stopping waits for running tasks before handing the rest back to the
		 * broker.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * Name of this worker, recorded with results and on error queue messages. When
		 * unset: 'celeriac@' and the host name.
		 */
		private @Nullable String name;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getQueues() {
			return this.queues;
		}

		public void setQueues(List<String> queues) {
			this.queues = queues;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

	}

	/**
	 * Where workers record task results.
	 */
	public static class Result {

		/**
		 * Result store backend. When unset: jdbc if spring.datasource.url or jndi-name is
		 * set, memory otherwise.
		 */
		private @Nullable ResultStoreType type;

		/**
		 * Whether a worker records a STARTED state when it begins a task.
		 */
		private boolean trackStarted = true;

		public @Nullable ResultStoreType getType() {
			return this.type;
		}

		public void setType(@Nullable ResultStoreType type) {
			this.type = type;
		}

		public boolean isTrackStarted() {
			return this.trackStarted;
		}

		public void setTrackStarted(boolean trackStarted) {
			this.trackStarted = trackStarted;
		}

	}

	/**
	 * Cache regions.
	 */
	public static class Cache {

		/**
		 * Cache backend. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

	}

	/**
	 * Distributed locks.
	 */
	public static class Lock {

		/**
		 * Lock backend. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

	}

	/**
	 * Limiters.
	 */
	public static class Limiter {

		/**
		 * Limiter backend. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

	}

	/**
	 * What every Redis backend shares.
	 */
	public static class Redis {

		/**
		 * Prefix of every Redis key that Celeriac writes, so that several applications or
		 * environments can share one Redis.
		 */
		private String keyPrefix = "celeriac:";

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

	}

	/**
	 * Delayed tasks: where tasks with a future eta (countdowns, retries) wait, and the
	 * scheduler that publishes them when due.
	 */
	public static class Scheduler {

		/**
		 * Delayed task store. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise. The memory store
		 * loses its tasks when the process stops.
		 */
		private @Nullable StoreType type;

		/**
		 * Whether this application runs a scheduler that publishes due tasks. Any number
		 * of instances may run one on the same store.
		 */
		private boolean enabled = true;

		/**
		 * How long the scheduler waits after finding fewer due tasks than a batch; a due
		 * task is published within about this long of its time.
		 */
		private Duration pollInterval = Duration.ofMillis(50);

		/**
		 * The most due tasks the scheduler claims at once.
		 */
		private int batchSize = 500;

		/**
		 * How long a claim holds: a task claimed by a scheduler that died is published by
		 * another after this long. Must be longer than celeriac.broker.confirm-timeout.
		 */
		private Duration claimLease = Duration.ofSeconds(60);

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getClaimLease() {
			return this.claimLease;
		}

		public void setClaimLease(Duration claimLease) {
			this.claimLease = claimLease;
		}

	}

}

package io.celeriac.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.autoconfigure.compatibility.Compatibility;
import io.celeriac.autoconfigure.dashboard.DashboardSecurity;
import io.celeriac.processing.CallbackDelivery;
import io.celeriac.processing.QuarantineDestination;
import io.celeriac.schedule.MissedTicks;
import io.celeriac.topology.ExchangeType;
import io.celeriac.topology.QueueType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for Celeriac, under the {@code celeriac} prefix.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac")
public class CeleriacProperties {

	/**
	 * Celery fleet whose defaults to apply, below every property the application sets:
	 * 'cadasta' for cadasta-workertoolbox's (SQS in us-west-2, QUEUE_PREFIX as the SQS
	 * queue-name prefix, the result DB from RESULT_DB_USER, _PASS, _HOST, _PORT and
	 * _NAME, track-started, CHORD_UNLOCK_MAX_RETRIES). When unset: none.
	 */
	private @Nullable Compatibility compatibility;

	private final Broker broker = new Broker();

	private final Topology topology = new Topology();

	private final Worker worker = new Worker();

	private final Result result = new Result();

	private final Cache cache = new Cache();

	private final Lock lock = new Lock();

	private final Limiter limiter = new Limiter();

	private final Redis redis = new Redis();

	private final Monitor monitor = new Monitor();

	private final Scheduler scheduler = new Scheduler();

	private final Registry registry = new Registry();

	private final Processing processing = new Processing();

	private final Workflow workflow = new Workflow();

	private final Dashboard dashboard = new Dashboard();

	private final Recurring recurring = new Recurring();

	private final Events events = new Events();

	/**
	 * Recurring tasks by schedule name: the name starts each tick's task id.
	 */
	private final Map<String, Schedule> schedules = new LinkedHashMap<>();

	public @Nullable Compatibility getCompatibility() {
		return this.compatibility;
	}

	public void setCompatibility(@Nullable Compatibility compatibility) {
		this.compatibility = compatibility;
	}

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

	public Monitor getMonitor() {
		return this.monitor;
	}

	public Scheduler getScheduler() {
		return this.scheduler;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Registry getRegistry() {
		return this.registry;
	}

	public Processing getProcessing() {
		return this.processing;
	}

	public Workflow getWorkflow() {
		return this.workflow;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public Recurring getRecurring() {
		return this.recurring;
	}

	public Events getEvents() {
		return this.events;
	}

	public Map<String, Schedule> getSchedules() {
		return this.schedules;
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

		/**
		 * Redis and SQS brokers only: how long a delivered message stays with a consumer
		 * that stopped extending it (a dead worker) before it goes back to its queue. A
		 * live worker extends its deliveries every third of this, however long its tasks
		 * run. Whole seconds on SQS. On Redis it is kombu's {@code visibility_timeout}:
		 * Python workers sharing the Redis do not extend theirs, so keep it above their
		 * longest task.
		 */
		private Duration visibilityTimeout = Duration.ofSeconds(30);

		/**
		 * Redis broker only: how long an idle consumer blocks waiting for a message
		 * before it looks again and returns the expired deliveries of dead workers (whole
		 * seconds, at least one); a message from a Python Celery producer, which wakes no
		 * Java consumer, is found within this.
		 */
		private Duration pollTimeout = Duration.ofSeconds(1);

		/**
		 * Redis broker only: the prefix of its keys, kombu's {@code global_keyprefix}
		 * transport option (empty, as Python Celery's default, to share queues with
		 * Python Celery that sets none). When not set, {@code celeriac.redis.key-prefix}.
		 */
		private @Nullable String keyPrefix;

		private final Sqs sqs = new Sqs();

		public @Nullable String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(@Nullable String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

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

		public Duration getVisibilityTimeout() {
			return this.visibilityTimeout;
		}

		public void setVisibilityTimeout(Duration visibilityTimeout) {
			this.visibilityTimeout = visibilityTimeout;
		}

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		public Sqs getSqs() {
			return this.sqs;
		}

		/**
		 * The Amazon SQS broker ({@code celeriac.broker.type=sqs}).
		 */
		public static class Sqs {

			/**
			 * AWS region of the queues, e.g. eu-west-1. When unset: the AWS SDK's default
			 * region chain (AWS_REGION, the profile, instance metadata).
			 */
			private @Nullable String region;

			/**
			 * Endpoint that replaces SQS's, e.g. http://localhost:9324 for ElasticMQ or
			 * LocalStack. When unset: the region's SQS endpoint.
			 */
			private @Nullable URI endpoint;

			/**
			 * Whether queues that do not exist are created when the topology is declared
			 * or a message is sent to them. When false, a missing queue stops startup
			 * with its name.
			 */
			private boolean createQueues = true;

			/**
			 * How long a consumer's receive waits for a message (SQS long polling, at
			 * most 20s). Longer waits mean fewer, cheaper empty receives.
			 */
			private Duration waitTime = Duration.ofSeconds(10);

			/**
			 * Whether a task whose eta is ahead waits in SQS (a delay of at most 15
			 * minutes) rather than in the delayed task store; longer delays go to the
			 * store either way.
			 */
			private boolean nativeDelays = true;

			public @Nullable String getRegion() {
				return this.region;
			}

			public void setRegion(@Nullable String region) {
				this.region = region;
			}

			public @Nullable URI getEndpoint() {
				return this.endpoint;
			}

			public void setEndpoint(@Nullable URI endpoint) {
				this.endpoint = endpoint;
			}

			public boolean isCreateQueues() {
				return this.createQueues;
			}

			public void setCreateQueues(boolean createQueues) {
				this.createQueues = createQueues;
			}

			public Duration getWaitTime() {
				return this.waitTime;
			}

			public void setWaitTime(Duration waitTime) {
				this.waitTime = waitTime;
			}

			public boolean isNativeDelays() {
				return this.nativeDelays;
			}

			public void setNativeDelays(boolean nativeDelays) {
				this.nativeDelays = nativeDelays;
			}

		}

	}

	/**
	 * The Celery-style topology on the broker.
	 */
	public static class Topology {

		/**
		 * Name of the durable exchange every task is published to.
		 */
		private String exchange = "task_exchange";

		/**
		 * Type of the exchange, as Celery's task_default_exchange_type: topic (binding
		 * keys are patterns, the monitor queue's '#' sees every task), direct (routing
		 * key equals binding key; no monitor queue) or fanout (every queue gets every
		 * task). An existing RabbitMQ exchange must be deleted to change it.
		 */
		private ExchangeType exchangeType = ExchangeType.TOPIC;

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

		/**
		 * Highest message priority the service queues order by: declared with RabbitMQ's
		 * 'x-max-priority' argument (1 to 255, 10 at most is advised; classic queues
		 * only), so that a message with a higher Celery 'priority' is delivered first. 0
		 * for queues without priorities. An existing queue must be deleted to change it.
		 */
		private int maxPriority;

		public int getMaxPriority() {
			return this.maxPriority;
		}

		public void setMaxPriority(int maxPriority) {
			this.maxPriority = maxPriority;
		}

		public String getExchange() {
			return this.exchange;
		}

		public ExchangeType getExchangeType() {
			return this.exchangeType;
		}

		public void setExchangeType(ExchangeType exchangeType) {
			this.exchangeType = exchangeType;
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
		 * Services whose queues the worker consumes (names without prefix), most urgent
		 * first: on the Redis broker a consumer always takes from the first queue that
		 * has a message. When empty: the services of this application's tasks.
		 */
		private List<String> queues = new ArrayList<>();

		/**
		 * How many tasks run at once, per queue (on the Redis broker: for all the queues
		 * together, taken in the order of 'queues'). When unset: the number of
		 * processors.
		 */
		private @Nullable Integer concurrency;

		/**
		 * How many messages each consumer holds unacknowledged, ahead of the one it runs.
		 */
		private int prefetch = 10;

		/**
		 * How many finished tasks may wait for their outcome to be written (their
		 * messages are acknowledged once it is) before the worker stops taking messages
		 * until some are written. The worker also stops taking messages while the result
		 * store does not answer, and writes the outcomes when it does. When unset: the
		 * prefetch.
		 */
		private @Nullable Integer pendingOutcomes;

		/**
		 * Largest message body the worker accepts; a larger one goes to the error queue.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(10);

		/**
		 * How many times a message may be delivered without completing before the worker
		 * moves it to the error queue (DELIVERY_LIMIT) instead of running it again: a
		 * task that kills its worker's JVM would otherwise come back forever. Needs a
		 * broker that counts deliveries: RabbitMQ quorum queues (not classic ones),
		 * Redis, SQS. 0 or less for no bound.
		 */
		private int maxDeliveries = 10;

		/**
		 * How long stopping waits for running tasks before handing the rest back to the
		 * broker.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * Name of this worker, recorded with results and on error queue messages, and its
		 * id in the worker registry. Must be unique among running workers. When unset:
		 * 'celeriac-<pid>@<host>', unique per process, so that two workers on one host
		 * are two registry entries.
		 */
		private @Nullable String name;

		/**
		 * How often the worker announces itself in the worker registry. A worker not
		 * heard from for celeriac.registry.missed-heartbeats intervals is pruned.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(10);

		/**
		 * Whether a second SIGTERM or SIGINT, received while the application shuts down
		 * gracefully, halts the process at once (as a second Ctrl-C stops a Celery
		 * worker). Unacknowledged tasks go back to the broker either way.
		 */
		private boolean haltOnSecondSignal = true;

		/**
		 * Rate limits by task name, held across every worker of the fleet, in Celery's
		 * rate_limit format: '100/s', '10/m', '1000/h', a bare number per second, '0' for
		 * no limit. They win over @Deferrable(rateLimit). A task over its rate waits in
		 * the delayed task store for its turn.
		 */
		private Map<String, String> rateLimits = new LinkedHashMap<>();

		public Map<String, String> getRateLimits() {
			return this.rateLimits;
		}

		public void setRateLimits(Map<String, String> rateLimits) {
			this.rateLimits = rateLimits;
		}

		/**
		 * What the worker does with a task that a lock or limiter refused.
		 */
		private final Refusal refusal = new Refusal();

		public Refusal getRefusal() {
			return this.refusal;
		}

		public boolean isHaltOnSecondSignal() {
			return this.haltOnSecondSignal;
		}

		public void setHaltOnSecondSignal(boolean haltOnSecondSignal) {
			this.haltOnSecondSignal = haltOnSecondSignal;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

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

		public @Nullable Integer getPendingOutcomes() {
			return this.pendingOutcomes;
		}

		public void setPendingOutcomes(@Nullable Integer pendingOutcomes) {
			this.pendingOutcomes = pendingOutcomes;
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

		public int getMaxDeliveries() {
			return this.maxDeliveries;
		}

		public void setMaxDeliveries(int maxDeliveries) {
			this.maxDeliveries = maxDeliveries;
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

		/**
		 * A task refused by its lock or limiter (@Locked, @Limited, a lock or limiter
		 * timeout or an unreachable store) did not fail: the worker publishes it again to
		 * run after a countdown, a bounded number of times.
		 */
		public static class Refusal {

			/**
			 * How long a refused task waits (in the delayed task store, not in the
			 * worker) before it runs again.
			 */
			private Duration countdown = Duration.ofSeconds(10);

			/**
			 * How many times a task may be refused and sent again; refused once more, it
			 * fails and goes to the error queue (RETRIES_EXHAUSTED), from where it can be
			 * requeued. 0 fails a task at its first refusal.
			 */
			private int maxRetries = 360;

			public Duration getCountdown() {
				return this.countdown;
			}

			public void setCountdown(Duration countdown) {
				this.countdown = countdown;
			}

			public int getMaxRetries() {
				return this.maxRetries;
			}

			public void setMaxRetries(int maxRetries) {
				this.maxRetries = maxRetries;
			}

		}

	}

	/**
	 * Where workers record task results.
	 */
	public static class Result {

		/**
		 * Result store backend. When unset: jdbc if spring.datasource.url or jndi-name is
		 * set, memory otherwise; memory chosen that way beside a real broker logs a
		 * warning at startup.
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

		/**
		 * When to create Celery's result tables (celery_taskmeta, celery_tasksetmeta and
		 * their sequences) in the JDBC result store's database: embedded (H2 and other
		 * embedded databases only), always, or never. The scripts create only what is
		 * missing.
		 */
		private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

		/**
		 * How long the Redis result store keeps a result, as Celery's result_expires; the
		 * in-memory result store drops a result this long after it was recorded.
		 */
		private Duration expires = Duration.ofDays(1);

		/**
		 * Put before the Redis result store's keys and channels (celery-task-meta-<id>),
		 * as Celery's global_keyprefix transport option; empty so that Python Celery with
		 * default settings reads the results.
		 */
		private String redisKeyPrefix = "";

		/**
		 * The most results the JDBC result store writes in one batch (one round trip, one
		 * transaction); a worker acknowledges a message once the batch holding its result
		 * has committed. 1 writes each result on its own.
		 */
		private int batchSize = 64;

		/**
		 * How long a worker waits for its result to be written before the task fails to
		 * be acknowledged (it is then delivered again).
		 */
		private Duration writeTimeout = Duration.ofSeconds(30);

		/**
		 * The most results waiting to be written by the JDBC result store's batching
		 * writer; a worker that finds the queue full waits for room up to the write
		 * timeout, then fails to record its result.
		 */
		private int queueCapacity = 10_000;

		/**
		 * The most in-memory result store entries kept (celeriac.result.type=memory); the
		 * oldest is evicted first. Entries also expire after celeriac.result.expires.
		 */
		private int memoryMaxEntries = 100_000;

		/**
		 * The longest exception message kept, in characters, in result rows, logs and
		 * error-queue headers; longer ones are cut and end with "...".
		 */
		private DataSize maxMessageSize = DataSize.ofKilobytes(4);

		/**
		 * The longest traceback kept, in characters, in result rows and error-queue
		 * headers; longer ones are cut and end with "...".
		 */
		private DataSize maxTracebackSize = DataSize.ofKilobytes(64);

		/**
		 * A DataSource of the JDBC result store's own, e.g. with a role that may only
		 * read and write the result table; when its url is unset the application's
		 * DataSource is used.
		 */
		private final Datasource datasource = new Datasource();

		public DatabaseInitializationMode getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public Duration getExpires() {
			return this.expires;
		}

		public void setExpires(Duration expires) {
			this.expires = expires;
		}

		public String getRedisKeyPrefix() {
			return this.redisKeyPrefix;
		}

		public void setRedisKeyPrefix(String redisKeyPrefix) {
			this.redisKeyPrefix = redisKeyPrefix;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getWriteTimeout() {
			return this.writeTimeout;
		}

		public void setWriteTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		public Datasource getDatasource() {
			return this.datasource;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public int getMemoryMaxEntries() {
			return this.memoryMaxEntries;
		}

		public void setMemoryMaxEntries(int memoryMaxEntries) {
			this.memoryMaxEntries = memoryMaxEntries;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public DataSize getMaxTracebackSize() {
			return this.maxTracebackSize;
		}

		public void setMaxTracebackSize(DataSize maxTracebackSize) {
			this.maxTracebackSize = maxTracebackSize;
		}

		/**
		 * The JDBC result store's own DataSource.
		 */
		public static class Datasource {

			/**
			 * JDBC URL of the result database; when unset, the application's DataSource
			 * is used.
			 */
			private @Nullable String url;

			/**
			 * Login user of the result database.
			 */
			private @Nullable String username;

			/**
			 * Login password of the result database.
			 */
			private @Nullable String password;

			public @Nullable String getUrl() {
				return this.url;
			}

			public void setUrl(@Nullable String url) {
				this.url = url;
			}

			public @Nullable String getUsername() {
				return this.username;
			}

			public void setUsername(@Nullable String username) {
				this.username = username;
			}

			public @Nullable String getPassword() {
				return this.password;
			}

			public void setPassword(@Nullable String password) {
				this.password = password;
			}

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

		/**
		 * Whether @CacheRegion methods cache their results. When false, every call runs
		 * the method.
		 */
		private boolean enabled = true;

		/**
		 * Whether hits, misses and stale serves are counted, per region and namespace, in
		 * Micrometer and in the store (cluster-wide on Redis).
		 */
		private boolean statistics = true;

		/**
		 * How long hits counted in a process may wait before they are added to the
		 * cluster-wide statistics in Redis. A hit itself writes nothing to Redis; misses
		 * and stale serves are counted at once.
		 */
		private Duration statisticsFlushInterval = Duration.ofSeconds(1);

		/**
		 * How long each Redis command of the cache may take; a slower or failed command
		 * makes the call run uncached.
		 */
		private Duration redisTimeout = Duration.ofMillis(500);

		/**
		 * How long a caller waits for another caller that is computing a missing entry
		 * before it computes the value itself.
		 */
		private Duration coldMissWait = Duration.ofSeconds(5);

		/**
		 * How long the write lock of a caller that computes an entry lives, so that a
		 * caller that dies does not block the entry. Longer than the slowest cached
		 * method.
		 */
		private Duration lockExpires = Duration.ofSeconds(30);

		/**
		 * How long the store is left alone after it failed or was too slow; meanwhile
		 * cached methods run uncached at once.
		 */
		private Duration failureBackoff = Duration.ofSeconds(1);

		/**
		 * Cache regions by name, as @CacheRegion names them.
		 */
		private Map<String, Region> regions = new LinkedHashMap<>();

		private final Memory memory = new Memory();

		private final SpringCache springCache = new SpringCache();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isStatistics() {
			return this.statistics;
		}

		public Duration getStatisticsFlushInterval() {
			return this.statisticsFlushInterval;
		}

		public void setStatisticsFlushInterval(Duration statisticsFlushInterval) {
			this.statisticsFlushInterval = statisticsFlushInterval;
		}

		public void setStatistics(boolean statistics) {
			this.statistics = statistics;
		}

		public Duration getRedisTimeout() {
			return this.redisTimeout;
		}

		public void setRedisTimeout(Duration redisTimeout) {
			this.redisTimeout = redisTimeout;
		}

		public Duration getColdMissWait() {
			return this.coldMissWait;
		}

		public void setColdMissWait(Duration coldMissWait) {
			this.coldMissWait = coldMissWait;
		}

		public Duration getLockExpires() {
			return this.lockExpires;
		}

		public void setLockExpires(Duration lockExpires) {
			this.lockExpires = lockExpires;
		}

		public Duration getFailureBackoff() {
			return this.failureBackoff;
		}

		public void setFailureBackoff(Duration failureBackoff) {
			this.failureBackoff = failureBackoff;
		}

		public Map<String, Region> getRegions() {
			return this.regions;
		}

		public void setRegions(Map<String, Region> regions) {
			this.regions = regions;
		}

		public Memory getMemory() {
			return this.memory;
		}

		public SpringCache getSpringCache() {
			return this.springCache;
		}

		/**
		 * One cache region.
		 */
		public static class Region {

			/**
			 * How long after it was computed an entry is fresh. After that, the next
			 * caller regenerates it while others get the stale value. Required.
			 */
			private @Nullable Duration expires;

			/**
			 * How long the store keeps an entry at all (the Redis key's expiration); at
			 * least expires.
			 */
			private Duration redisExpiration = Duration.ofDays(7);

			public @Nullable Duration getExpires() {
				return this.expires;
			}

			public void setExpires(@Nullable Duration expires) {
				this.expires = expires;
			}

			public Duration getRedisExpiration() {
				return this.redisExpiration;
			}

			public void setRedisExpiration(Duration redisExpiration) {
				this.redisExpiration = redisExpiration;
			}

		}

		/**
		 * The in-memory cache store.
		 */
		public static class Memory {

			/**
			 * How many entries the in-memory store holds at most.
			 */
			private int maximumEntries = 10_000;

			public int getMaximumEntries() {
				return this.maximumEntries;
			}

			public void setMaximumEntries(int maximumEntries) {
				this.maximumEntries = maximumEntries;
			}

		}

		/**
		 * Spring's cache abstraction on the cache regions.
		 */
		public static class SpringCache {

			/**
			 * Whether the application's CacheManager is one whose caches are the cache
			 * regions, so that a method annotated with @Cacheable("short_term") caches in
			 * the region short_term.
			 */
			private boolean enabled;

			/**
			 * Whether the regions' caches keep null values. When false, a cached method
			 * that returns null is an error unless its annotation says unless = "#result
			 * == null".
			 */
			private boolean allowNullValues = true;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public boolean isAllowNullValues() {
				return this.allowNullValues;
			}

			public void setAllowNullValues(boolean allowNullValues) {
				this.allowNullValues = allowNullValues;
			}

		}

	}

	/**
	 * Distributed locks.
	 */
	public static class Lock {

		/**
		 * Lock backend. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise; memory chosen that
		 * way beside a real broker logs a warning at startup.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

		/**
		 * How long a lock lasts unless released first, for @Locked methods that do not
		 * say. Longer than the guarded work takes, or use the watchdog.
		 */
		private Duration defaultExpires = Duration.ofSeconds(60);

		/**
		 * How long a @Locked method waits for its lock before it fails with a
		 * LockTimeoutException, when the annotation does not say.
		 */
		private Duration defaultTimeout = Duration.ofSeconds(10);

		/**
		 * Whether every @Locked method keeps its lock alive with a watchdog (an extension
		 * every third of the expiry) while it runs.
		 */
		private boolean watchdog;

		public Duration getDefaultExpires() {
			return this.defaultExpires;
		}

		public void setDefaultExpires(Duration defaultExpires) {
			this.defaultExpires = defaultExpires;
		}

		public Duration getDefaultTimeout() {
			return this.defaultTimeout;
		}

		public void setDefaultTimeout(Duration defaultTimeout) {
			this.defaultTimeout = defaultTimeout;
		}

		public boolean isWatchdog() {
			return this.watchdog;
		}

		public void setWatchdog(boolean watchdog) {
			this.watchdog = watchdog;
		}

	}

	/**
	 * Limiters.
	 */
	public static class Limiter {

		/**
		 * Limiter backend. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise; memory chosen that
		 * way beside a real broker logs a warning at startup.
		 */
		private @Nullable StoreType type;

		public @Nullable StoreType getType() {
			return this.type;
		}

		public void setType(@Nullable StoreType type) {
			this.type = type;
		}

		/**
		 * Limiters by name: at most 'limit' holders at once, each losing its place after
		 * 'expires' unless it releases it first.
		 */
		private final Map<String, Definition> limiters = new LinkedHashMap<>();

		/**
		 * Rate limiters by name: at most 'limit' acquisitions per 'period' for each key.
		 */
		private final Map<String, RateDefinition> rateLimiters = new LinkedHashMap<>();

		public Map<String, Definition> getLimiters() {
			return this.limiters;
		}

		public Map<String, RateDefinition> getRateLimiters() {
			return this.rateLimiters;
		}

		/**
		 * One limiter.
		 */
		public static class Definition {

			/**
			 * How many holders may hold a place at once.
			 */
			private int limit = 1;

			/**
			 * How long a place lasts unless released first, so that a holder that dies
			 * frees its place.
			 */
			private Duration expires = Duration.ofSeconds(10);

			public int getLimit() {
				return this.limit;
			}

			public void setLimit(int limit) {
				this.limit = limit;
			}

			public Duration getExpires() {
				return this.expires;
			}

			public void setExpires(Duration expires) {
				this.expires = expires;
			}

		}

		/**
		 * One rate limiter.
		 */
		public static class RateDefinition {

			/**
			 * How many acquisitions each key may make per period (also the largest
			 * burst).
			 */
			private int limit = 1;

			/**
			 * The period.
			 */
			private Duration period = Duration.ofSeconds(1);

			public int getLimit() {
				return this.limit;
			}

			public void setLimit(int limit) {
				this.limit = limit;
			}

			public Duration getPeriod() {
				return this.period;
			}

			public void setPeriod(Duration period) {
				this.period = period;
			}

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

		/**
		 * Whether Celeriac makes the application's Lettuce client fail fast while Redis
		 * is down: commands are rejected instead of queued until it returns, each fails
		 * after the command timeout (or the lock or limiter call's own timeout, if
		 * shorter), and reconnection attempts are at most max-reconnect-delay apart.
		 */
		private boolean failFast = true;

		/**
		 * How long a Redis command may take before it fails, when
		 * spring.data.redis.timeout is not set (which otherwise takes precedence).
		 */
		private Duration commandTimeout = Duration.ofSeconds(2);

		/**
		 * Longest pause between two attempts to reconnect to Redis, so that every Redis
		 * capability works again soon after Redis is back.
		 */
		private Duration maxReconnectDelay = Duration.ofMillis(500);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public boolean isFailFast() {
			return this.failFast;
		}

		public void setFailFast(boolean failFast) {
			this.failFast = failFast;
		}

		public Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

		public Duration getMaxReconnectDelay() {
			return this.maxReconnectDelay;
		}

		public void setMaxReconnectDelay(Duration maxReconnectDelay) {
			this.maxReconnectDelay = maxReconnectDelay;
		}

	}

	/**
	 * The task monitor, which records every task sent on the exchange.
	 */
	public static class Monitor {

		/**
		 * Whether this application consumes the monitor queue and records every task
		 * message in the task table (celeriac_task); typically only the platform
		 * application does.
		 */
		private boolean enabled;

		/**
		 * Whether the monitor also records the outcome (SUCCESS, FAILURE, REVOKED) of
		 * tasks from Celery's events on the event exchange, for workers whose results it
		 * does not otherwise see (e.g. Python workers run with -E and no result backend);
		 * a task that already has a result is left alone. Needs the RabbitMQ broker.
		 */
		private boolean events;

		/**
		 * When to create the task table in the application's database: embedded, always,
		 * or never.
		 */
		private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

		/**
		 * How many threads record tasks.
		 */
		private int concurrency = 1;

		/**
		 * How many unacknowledged monitor messages each thread may hold.
		 */
		private int prefetch = 50;

		/**
		 * The most task records the in-memory task table keeps (when there is no
		 * DataSource); the oldest is evicted first. Records also expire after
		 * celeriac.result.expires.
		 */
		private int memoryMaxEntries = 100_000;

		public int getMemoryMaxEntries() {
			return this.memoryMaxEntries;
		}

		public void setMemoryMaxEntries(int memoryMaxEntries) {
			this.memoryMaxEntries = memoryMaxEntries;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isEvents() {
			return this.events;
		}

		public void setEvents(boolean events) {
			this.events = events;
		}

		public DatabaseInitializationMode getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
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
		 * loses its tasks when the process stops, so beside a real broker (rabbit, redis,
		 * sqs) it must be chosen explicitly: falling back to it by default stops startup.
		 */
		private @Nullable StoreType type;

		/**
		 * Whether this application runs a scheduler that publishes due tasks. Any number
		 * of instances may run one on the same store.
		 */
		private boolean enabled = true;

		/**
		 * Longest the scheduler sleeps after finding fewer due tasks than a batch: it
		 * wakes when the store's next task is due, and at least this often, which bounds
		 * how late it sees a task parked by another process or a lapsed claim.
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

	/**
	 * The worker registry, where each running worker announces itself.
	 */
	public static class Registry {

		/**
		 * Worker registry backend. When unset: redis if spring.data.redis.host, url,
		 * port, cluster.nodes or sentinel.master is set, memory otherwise. The memory
		 * registry knows this process's worker only.
		 */
		private @Nullable StoreType type;

		/**
		 * Whether the worker announces itself in the registry (when this application runs
		 * a worker).
		 */
		private boolean enabled = true;

		/**
		 * How many heartbeat intervals may pass without a heartbeat before a worker is
		 * pruned from the registry as dead. At least 2.
		 */
		private int missedHeartbeats = 3;

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

		public int getMissedHeartbeats() {
			return this.missedHeartbeats;
		}

		public void setMissedHeartbeats(int missedHeartbeats) {
			this.missedHeartbeats = missedHeartbeats;
		}

	}

	/**
	 * Cached operations on URIs: where processing runs, and how long results, running
	 * processings and outcomes are kept.
	 */
	public static class Processing {

		/**
		 * Service of the processing task (<service>.process): its queue carries the
		 * processing, and the workers of the applications that define operations consume
		 * it.
		 */
		private String service = "processing";

		/**
		 * Service of the quarantine task (<quarantine-service>.consume): its queue is the
		 * quarantine queue, consumed by the QuarantineConsumer beans.
		 */
		private String quarantineService = "processing-quarantine";

		/**
		 * Cache region (under celeriac.cache.regions) whose expires says how long the
		 * results of operations without a region of their own are kept. When unset, they
		 * are kept for celeriac.processing.expires.
		 */
		private @Nullable String region;

		/**
		 * How long the results of operations with no region are kept.
		 */
		private Duration expires = Duration.ofHours(1);

		/**
		 * How long a processing counts as running without news; a request after that
		 * starts it again (and its callback gets the earlier callers too). Longer than
		 * the slowest operation.
		 */
		private Duration pendingTimeout = Duration.ofMinutes(10);

		/**
		 * How long the outcome of a processing is kept for callers who await its
		 * callback.
		 */
		private Duration outcomeRetention = Duration.ofHours(1);

		/**
		 * Per-operation settings, by operation name.
		 */
		private Map<String, OperationSettings> operations = new LinkedHashMap<>();

		/**
		 * How a processing's result reaches its waiting callers: in-process (the
		 * @OperationCallback method runs on the worker) or task (backache's callback task
		 * <callback-task-prefix><operation> is sent with one argument, [result, [callback
		 * arguments...]], for a Python worker or another fleet).
		 */
		private CallbackDelivery callbackDelivery = CallbackDelivery.IN_PROCESS;

		/**
		 * With callback-delivery task: what the operation's name is appended to for the
		 * callback task's name. Its first segment is the routing key, so list that
		 * service under celeriac.topology.queues.
		 */
		private String callbackTaskPrefix = "backache.callback.";

		/**
		 * Where quarantined requests go: consumers (the quarantine service's queue, whose
		 * task hands them to the QuarantineConsumer beans) or task (backache's
		 * quarantine-task(operation, uri, exc) sent to quarantine-queue).
		 */
		private QuarantineDestination quarantineDestination = QuarantineDestination.CONSUMERS;

		/**
		 * With quarantine-destination task: the name of the task that receives
		 * (operation, uri, exc).
		 */
		private String quarantineTask = "backache.quarantine-consumer";

		/**
		 * With quarantine-destination task: the queue (name without prefix, also the
		 * routing key) the quarantine task is sent to. List it under
		 * celeriac.topology.queues.
		 */
		private String quarantineQueue = "backache-queue";

		public CallbackDelivery getCallbackDelivery() {
			return this.callbackDelivery;
		}

		public void setCallbackDelivery(CallbackDelivery callbackDelivery) {
			this.callbackDelivery = callbackDelivery;
		}

		public String getCallbackTaskPrefix() {
			return this.callbackTaskPrefix;
		}

		public void setCallbackTaskPrefix(String callbackTaskPrefix) {
			this.callbackTaskPrefix = callbackTaskPrefix;
		}

		public QuarantineDestination getQuarantineDestination() {
			return this.quarantineDestination;
		}

		public void setQuarantineDestination(QuarantineDestination quarantineDestination) {
			this.quarantineDestination = quarantineDestination;
		}

		public String getQuarantineTask() {
			return this.quarantineTask;
		}

		public void setQuarantineTask(String quarantineTask) {
			this.quarantineTask = quarantineTask;
		}

		public String getQuarantineQueue() {
			return this.quarantineQueue;
		}

		public void setQuarantineQueue(String quarantineQueue) {
			this.quarantineQueue = quarantineQueue;
		}

		public String getService() {
			return this.service;
		}

		public void setService(String service) {
			this.service = service;
		}

		public String getQuarantineService() {
			return this.quarantineService;
		}

		public void setQuarantineService(String quarantineService) {
			this.quarantineService = quarantineService;
		}

		public @Nullable String getRegion() {
			return this.region;
		}

		public void setRegion(@Nullable String region) {
			this.region = region;
		}

		public Duration getExpires() {
			return this.expires;
		}

		public void setExpires(Duration expires) {
			this.expires = expires;
		}

		public Duration getPendingTimeout() {
			return this.pendingTimeout;
		}

		public void setPendingTimeout(Duration pendingTimeout) {
			this.pendingTimeout = pendingTimeout;
		}

		public Duration getOutcomeRetention() {
			return this.outcomeRetention;
		}

		public void setOutcomeRetention(Duration outcomeRetention) {
			this.outcomeRetention = outcomeRetention;
		}

		public Map<String, OperationSettings> getOperations() {
			return this.operations;
		}

		public void setOperations(Map<String, OperationSettings> operations) {
			this.operations = operations;
		}

		/**
		 * Settings of one operation.
		 */
		public static class OperationSettings {

			/**
			 * Cache region (under celeriac.cache.regions) whose expires says how long
			 * this operation's results are kept. When unset, celeriac.processing.region
			 * applies.
			 */
			private @Nullable String region;

			public @Nullable String getRegion() {
				return this.region;
			}

			public void setRegion(@Nullable String region) {
				this.region = region;
			}

		}

	}

	/**
	 * Workflows: chains, callbacks, groups and chords.
	 */
	public static class Workflow {

		/**
		 * How long celery.chord_unlock waits before it checks a chord's header again
		 * (Celery's result_chord_retry_interval).
		 */
		private Duration chordUnlockInterval = Duration.ofSeconds(1);

		/**
		 * How many times celery.chord_unlock checks a chord's header at most before the
		 * body fails with a ChordError (Cadasta's CHORD_UNLOCK_MAX_RETRIES: 12 hours at 1
		 * s).
		 */
		private int chordUnlockMaxRetries = 43_200;

		public Duration getChordUnlockInterval() {
			return this.chordUnlockInterval;
		}

		public void setChordUnlockInterval(Duration chordUnlockInterval) {
			this.chordUnlockInterval = chordUnlockInterval;
		}

		public int getChordUnlockMaxRetries() {
			return this.chordUnlockMaxRetries;
		}

		public void setChordUnlockMaxRetries(int chordUnlockMaxRetries) {
			this.chordUnlockMaxRetries = chordUnlockMaxRetries;
		}

	}

	/**
	 * The dashboard: web pages and a JSON API, served by this application's Spring MVC,
	 * to watch and operate tasks, queues, workers, error queues and cache regions.
	 */
	public static class Dashboard {

		/**
		 * Whether to serve the dashboard.
		 */
		private boolean enabled;

		/**
		 * Path the dashboard is served under (pages at <path>/, the JSON API at
		 * <path>/api/...). Starts with a slash, does not end with one.
		 */
		private String path = "/celeriac";

		/**
		 * How often the pages ask the API for fresh figures.
		 */
		private Duration refreshInterval = Duration.ofSeconds(2);

		/**
		 * Role a user needs to see the dashboard when Spring Security is on the class
		 * path (without the ROLE_ prefix).
		 */
		private String role = "CELERIAC";

		/**
		 * Who protects the dashboard: 'spring-security' requires the role through Spring
		 * Security and refuses to start without it; 'none' registers no filter chain of
		 * Celeriac's, so that without Spring Security the pages and actions are served
		 * without authentication (a warning says so), for an application bound to a
		 * private address or behind an authenticating proxy.
		 */
		private DashboardSecurity security = DashboardSecurity.SPRING_SECURITY;

		/**
		 * How many tasks a page of the task search shows, and how many messages of each
		 * error queue the error-queue page lists.
		 */
		private int pageSize = 50;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public String getRole() {
			return this.role;
		}

		public void setRole(String role) {
			this.role = role;
		}

		public DashboardSecurity getSecurity() {
			return this.security;
		}

		public void setSecurity(DashboardSecurity security) {
			this.security = security;
		}

		public int getPageSize() {
			return this.pageSize;
		}

		public void setPageSize(int pageSize) {
			this.pageSize = pageSize;
		}

	}

	/**
	 * Recurring tasks: where their ticks are claimed, and how late ticks are treated.
	 */
	public static class Recurring {

		/**
		 * Schedule store, where each tick is claimed by one instance and each schedule's
		 * last run is kept. When unset: redis if spring.data.redis.host, url, port,
		 * cluster.nodes or sentinel.master is set, memory otherwise. jdbc uses the
		 * application's database (table celeriac_schedule). With memory, every instance
		 * publishes every tick.
		 */
		private @Nullable ScheduleStoreType type;

		/**
		 * Whether this application publishes the ticks of its schedules. Any number of
		 * instances may on the same store: each tick is published by one of them.
		 */
		private boolean enabled = true;

		/**
		 * How late a tick may still be published. Ticks missed for longer (every instance
		 * was down) follow their schedule's missed-ticks policy; later ones are published
		 * each, in order.
		 */
		private Duration misfireThreshold = Duration.ofSeconds(30);

		/**
		 * Longest the scheduler sleeps between two looks at the store; it wakes for the
		 * next tick sooner.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * When to create the celeriac_schedule table of the jdbc store: embedded, always,
		 * or never.
		 */
		private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

		public @Nullable ScheduleStoreType getType() {
			return this.type;
		}

		public void setType(@Nullable ScheduleStoreType type) {
			this.type = type;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getMisfireThreshold() {
			return this.misfireThreshold;
		}

		public void setMisfireThreshold(Duration misfireThreshold) {
			this.misfireThreshold = misfireThreshold;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public DatabaseInitializationMode getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/**
	 * A recurring task: which task to send, when, with which arguments and options.
	 */
	public static class Schedule {

		/**
		 * Name of the task to send, e.g. reports.generate; any task on the broker,
		 * including a Python Celery worker's.
		 */
		private @Nullable String task;

		/**
		 * Spring cron expression with seconds, e.g. "0 0 9 * * MON-FRI". Set this or
		 * every.
		 */
		private @Nullable String cron;

		/**
		 * Zone the cron expression is read in, e.g. Europe/Paris.
		 */
		private String zone = "UTC";

		/**
		 * Fixed interval, e.g. 30s: ticks at every multiple of it since the epoch. Set
		 * this or cron.
		 */
		private @Nullable Duration every;

		/**
		 * Positional arguments of each tick's task.
		 */
		private List<Object> args = new ArrayList<>();

		/**
		 * Keyword arguments of each tick's task.
		 */
		private Map<String, Object> kwargs = new LinkedHashMap<>();

		/**
		 * Routing key; by default the task's service (the first segment of its name).
		 */
		private @Nullable String routingKey;

		/**
		 * Message priority, 0 to 255.
		 */
		private int priority;

		/**
		 * How long after it is sent a tick's task expires if no worker ran it; never when
		 * unset.
		 */
		private @Nullable Duration expires;

		/**
		 * What to do with ticks missed for longer than
		 * celeriac.recurring.misfire-threshold: run-once publishes one catch-up tick for
		 * them all, skip publishes none.
		 */
		private MissedTicks missedTicks = MissedTicks.RUN_ONCE;

		public @Nullable String getTask() {
			return this.task;
		}

		public void setTask(@Nullable String task) {
			this.task = task;
		}

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public String getZone() {
			return this.zone;
		}

		public void setZone(String zone) {
			this.zone = zone;
		}

		public @Nullable Duration getEvery() {
			return this.every;
		}

		public void setEvery(@Nullable Duration every) {
			this.every = every;
		}

		public List<Object> getArgs() {
			return this.args;
		}

		public void setArgs(List<Object> args) {
			this.args = args;
		}

		public Map<String, Object> getKwargs() {
			return this.kwargs;
		}

		public void setKwargs(Map<String, Object> kwargs) {
			this.kwargs = kwargs;
		}

		public @Nullable String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(@Nullable String routingKey) {
			this.routingKey = routingKey;
		}

		public int getPriority() {
			return this.priority;
		}

		public void setPriority(int priority) {
			this.priority = priority;
		}

		public @Nullable Duration getExpires() {
			return this.expires;
		}

		public void setExpires(@Nullable Duration expires) {
			this.expires = expires;
		}

		public MissedTicks getMissedTicks() {
			return this.missedTicks;
		}

		public void setMissedTicks(MissedTicks missedTicks) {
			this.missedTicks = missedTicks;
		}

	}

	/**
	 * Celery's event stream: the task and worker events that Celery's
	 * {@code EventReceiver}, {@code celery events} and Flower read.
	 */
	public static class Events {

		/**
		 * Whether the worker sends Celery's task events (task-received, task-started,
		 * task-succeeded, task-failed, task-retried, task-revoked) and worker events
		 * (worker-online, worker-heartbeat, worker-offline), as Celery's
		 * worker_send_task_events (celery worker -E) does. Needs the RabbitMQ (or
		 * in-memory) broker.
		 */
		private boolean enabled;

		/**
		 * Whether producers send task-sent when the broker confirms a task's publish, as
		 * Celery's task_send_sent_event does.
		 */
		private boolean taskSent;

		/**
		 * The topic exchange events are published to, Celery's event_exchange.
		 */
		private String exchange = "celeryev";

		/**
		 * How often the worker sends worker-heartbeat; Celery's State counts a worker
		 * alive for twice this after its last heartbeat.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(2);

		/**
		 * How many events may wait to be published; when the broker is slow or down,
		 * further events are dropped (events are best-effort, tasks never wait for them).
		 */
		private int bufferSize = 10_000;

		/**
		 * How long an event waits in a receiver's queue before RabbitMQ drops it,
		 * Celery's event_queue_ttl.
		 */
		private Duration queueTtl = Duration.ofSeconds(5);

		/**
		 * How long a receiver's queue outlives its consumer, Celery's
		 * event_queue_expires.
		 */
		private Duration queueExpires = Duration.ofSeconds(60);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isTaskSent() {
			return this.taskSent;
		}

		public void setTaskSent(boolean taskSent) {
			this.taskSent = taskSent;
		}

		public String getExchange() {
			return this.exchange;
		}

		public void setExchange(String exchange) {
			this.exchange = exchange;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public int getBufferSize() {
			return this.bufferSize;
		}

		public void setBufferSize(int bufferSize) {
			this.bufferSize = bufferSize;
		}

		public Duration getQueueTtl() {
			return this.queueTtl;
		}

		public void setQueueTtl(Duration queueTtl) {
			this.queueTtl = queueTtl;
		}

		public Duration getQueueExpires() {
			return this.queueExpires;
		}

		public void setQueueExpires(Duration queueExpires) {
			this.queueExpires = queueExpires;
		}

	}

}

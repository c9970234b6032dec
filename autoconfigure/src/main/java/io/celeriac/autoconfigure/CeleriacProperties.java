package io.celeriac.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.autoconfigure.dashboard.DashboardSecurity;
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
		 * run. Whole seconds on SQS.
		 */
		private Duration visibilityTimeout = Duration.ofSeconds(30);

		/**
		 * Redis broker only: how long an idle consumer blocks waiting for a message
		 * before it looks again and returns the expired deliveries of dead workers (whole
		 * seconds, at least one).
		 */
		private Duration pollTimeout = Duration.ofSeconds(1);

		private final Sqs sqs = new Sqs();

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
		private Duration failureBackoff = Duration.ofSeconds(2);

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

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
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

}

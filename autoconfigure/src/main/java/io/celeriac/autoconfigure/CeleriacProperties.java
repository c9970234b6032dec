package io.celeriac.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Celeriac, under the {@code celeriac} prefix.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac")
public class CeleriacProperties {

	private final Broker broker = new Broker();

	private final Result result = new Result();

	private final Cache cache = new Cache();

	private final Lock lock = new Lock();

	private final Limiter limiter = new Limiter();

	private final Redis redis = new Redis();

	public Broker getBroker() {
		return this.broker;
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

	/**
	 * Where tasks are published and consumed.
	 */
	public static class Broker {

		/**
		 * Broker backend. When unset: rabbit if spring.rabbitmq.host, addresses or port
		 * is set, memory otherwise.
		 */
		private @Nullable BrokerType type;

		public @Nullable BrokerType getType() {
			return this.type;
		}

		public void setType(@Nullable BrokerType type) {
			this.type = type;
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

		public @Nullable ResultStoreType getType() {
			return this.type;
		}

		public void setType(@Nullable ResultStoreType type) {
			this.type = type;
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

}

package io.celeriac.autoconfigure.control;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Celery's remote control and revoke ({@code celeriac.control.*}).
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.control")
public class ControlProperties {

	/**
	 * Whether the worker answers Celery's remote control commands (celery inspect,
	 * revoke, ...) and a WorkerControl bean sends them. On by default, as Celery's
	 * worker_enable_remote_control. Needs the RabbitMQ broker.
	 */
	private boolean enabled = true;

	/**
	 * Celery's control_exchange: commands are broadcast on the fanout exchange
	 * '<exchange>.pidbox' and replies come on 'reply.<exchange>.pidbox'. Python workers
	 * and clients must use the same.
	 */
	private String exchange = "celery";

	/**
	 * Celery's control_queue_ttl: how long a command or reply waits in a mailbox queue
	 * (its x-message-ttl).
	 */
	private Duration queueTtl = Duration.ofSeconds(300);

	/**
	 * Celery's control_queue_expires: how long a mailbox or reply queue lives without
	 * consumers (its x-expires).
	 */
	private Duration queueExpires = Duration.ofSeconds(10);

	/**
	 * How long WorkerControl collects replies by default (Celery's inspect timeout).
	 */
	private Duration timeout = Duration.ofSeconds(1);

	/**
	 * Whether the 'shutdown' command stops this application (closes its context). Off by
	 * default: a worker then answers it with an error naming this property.
	 */
	private boolean shutdownEnabled = false;

	/**
	 * Where revoked task ids are kept across restarts (Celery's --statedb).
	 */
	private final Revoked revoked = new Revoked();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getExchange() {
		return this.exchange;
	}

	public void setExchange(String exchange) {
		this.exchange = exchange;
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

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public boolean isShutdownEnabled() {
		return this.shutdownEnabled;
	}

	public void setShutdownEnabled(boolean shutdownEnabled) {
		this.shutdownEnabled = shutdownEnabled;
	}

	public Revoked getRevoked() {
		return this.revoked;
	}

	/**
	 * The revoked task store.
	 */
	public static class Revoked {

		/**
		 * Revoked task store backend: redis, jdbc (the result database, table
		 * celeriac_revoked) or memory (forgotten on restart). When unset: redis when the
		 * worker registry is on Redis, jdbc when the result store is, memory otherwise.
		 */
		private @Nullable RevokedStoreType store;

		/**
		 * Most revoked ids kept; past it the oldest are forgotten (Celery's
		 * CELERY_WORKER_REVOKES_MAX).
		 */
		private int maxCount = 50_000;

		/**
		 * How long a revoked id is kept (Celery's CELERY_WORKER_REVOKE_EXPIRES).
		 */
		private Duration maxAge = Duration.ofHours(3);

		/**
		 * Whether the jdbc store creates its table (celeriac_revoked) if it does not
		 * exist. Turn off where the result database's role may not create tables, and
		 * create it with the shipped schema.sql.
		 */
		private boolean initializeSchema = true;

		public @Nullable RevokedStoreType getStore() {
			return this.store;
		}

		public void setStore(@Nullable RevokedStoreType store) {
			this.store = store;
		}

		public int getMaxCount() {
			return this.maxCount;
		}

		public void setMaxCount(int maxCount) {
			this.maxCount = maxCount;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		public boolean isInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(boolean initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/**
	 * A revoked task store backend.
	 */
	public enum RevokedStoreType {

		/**
		 * A sorted set on Redis.
		 */
		REDIS,

		/**
		 * The table celeriac_revoked in the result database.
		 */
		JDBC,

		/**
		 * In this JVM: forgotten on restart.
		 */
		MEMORY

	}

}

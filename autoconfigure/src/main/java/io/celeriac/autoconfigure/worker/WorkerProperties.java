package io.celeriac.autoconfigure.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The worker that runs this application's tasks.
 * <p>
 * Bound to {@code celeriac.worker.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.worker")
public class WorkerProperties {

	/**
	 * Whether this application runs a worker.
	 */
	private boolean enabled = true;

	/**
	 * Services whose queues the worker consumes (names without prefix), most urgent
	 * first: on the Redis broker a consumer always takes from the first queue that has a
	 * message. When empty: the services of this application's tasks.
	 */
	private List<String> queues = new ArrayList<>();

	/**
	 * How many tasks run at once, per queue (on the Redis broker: for all the queues
	 * together, taken in the order of 'queues'). When unset: the number of processors.
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
	 * moves it to the error queue (DELIVERY_LIMIT) instead of running it again: a task
	 * that kills its worker's JVM would otherwise come back forever. Needs a broker that
	 * counts deliveries: RabbitMQ quorum queues (not classic ones), Redis, SQS. 0 or less
	 * for no bound.
	 */
	private int maxDeliveries = 10;

	/**
	 * How long stopping waits for running tasks before handing the rest back to the
	 * broker.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * Name of this worker, recorded with results and on error queue messages, and its id
	 * in the worker registry. Must be unique among running workers. When unset:
	 * 'celeriac-<pid>@<host>', unique per process, so that two workers on one host are
	 * two registry entries.
	 */
	private @Nullable String name;

	/**
	 * How often the worker announces itself in the worker registry. A worker not heard
	 * from for celeriac.registry.missed-heartbeats intervals is pruned.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(10);

	/**
	 * Whether a second SIGTERM or SIGINT, received while the application shuts down
	 * gracefully, halts the process at once (as a second Ctrl-C stops a Celery worker).
	 * Unacknowledged tasks go back to the broker either way.
	 */
	private boolean haltOnSecondSignal = true;

	/**
	 * Rate limits by task name, held across every worker of the fleet, in Celery's
	 * rate_limit format: '100/s', '10/m', '1000/h', a bare number per second, '0' for no
	 * limit. They win over @Deferrable(rateLimit). A task over its rate waits in the
	 * delayed task store for its turn.
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
	 * A task refused by its lock or limiter (@Locked, @Limited, a lock or limiter timeout
	 * or an unreachable store) did not fail: the worker publishes it again to run after a
	 * countdown, a bounded number of times.
	 */
	public static class Refusal {

		/**
		 * How long a refused task waits (in the delayed task store, not in the worker)
		 * before it runs again.
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

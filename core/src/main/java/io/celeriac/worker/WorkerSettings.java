package io.celeriac.worker;

import java.time.Duration;
import java.util.List;

import io.celeriac.execution.RefusalPolicy;
import io.celeriac.protocol.Origin;

/**
 * How a worker runs.
 *
 * @param name the worker's name, recorded with results and on error queue messages
 * @param services the services whose queues it consumes (without prefix), most urgent
 * first; empty for the services of this application's tasks
 * @param concurrency how many tasks it runs at once per queue (on a broker that serves
 * queues in priority order, the Redis one: for all of them together)
 * @param prefetch how many unacknowledged messages each consumer holds
 * @param maxMessageSize the largest message body it accepts, in bytes
 * @param trackStarted whether it records a STARTED state when a task begins
 * @param shutdownTimeout how long stopping waits for running tasks
 * @param confirmTimeout how long it waits for the broker to confirm a message it
 * publishes
 * @param maxDeliveries how many times a message may be delivered without completing
 * before the worker moves it to the error queue instead of running it again (a task that
 * kills its worker's JVM would otherwise come back forever); {@code 0} or less for no
 * bound. It applies where the broker counts deliveries (see
 * {@link io.celeriac.broker.Delivery#deliveryCount()})
 * @param refusals when a task that a lock or limiter refused runs again, and how often
 * @author Celeriac team
 */
public record WorkerSettings(String name, List<String> services, int concurrency, int prefetch, long maxMessageSize,
		boolean trackStarted, Duration shutdownTimeout, Duration confirmTimeout, int maxDeliveries,
		RefusalPolicy refusals) {

	/**
	 * The {@link #maxDeliveries()} of a worker that does not configure one.
	 */
	public static final int DEFAULT_MAX_DELIVERIES = 10;

	public WorkerSettings {
		services = List.copyOf(services);
	}

	/**
	 * Creates settings with the {@link RefusalPolicy#defaults() default refusal policy}.
	 * @param name the worker's name
	 * @param services the services whose queues it consumes
	 * @param concurrency how many tasks it runs at once per queue
	 * @param prefetch how many unacknowledged messages each consumer holds
	 * @param maxMessageSize the largest message body it accepts, in bytes
	 * @param trackStarted whether it records a STARTED state when a task begins
	 * @param shutdownTimeout how long stopping waits for running tasks
	 * @param confirmTimeout how long it waits for the broker to confirm a message
	 * @param maxDeliveries how many times a message may be delivered without completing
	 */
	public WorkerSettings(String name, List<String> services, int concurrency, int prefetch, long maxMessageSize,
			boolean trackStarted, Duration shutdownTimeout, Duration confirmTimeout, int maxDeliveries) {
		this(name, services, concurrency, prefetch, maxMessageSize, trackStarted, shutdownTimeout, confirmTimeout,
				maxDeliveries, RefusalPolicy.defaults());
	}

	/**
	 * Creates settings with the {@link #DEFAULT_MAX_DELIVERIES default delivery limit}.
	 * @param name the worker's name
	 * @param services the services whose queues it consumes
	 * @param concurrency how many tasks it runs at once per queue
	 * @param prefetch how many unacknowledged messages each consumer holds
	 * @param maxMessageSize the largest message body it accepts, in bytes
	 * @param trackStarted whether it records a STARTED state when a task begins
	 * @param shutdownTimeout how long stopping waits for running tasks
	 * @param confirmTimeout how long it waits for the broker to confirm a message
	 */
	public WorkerSettings(String name, List<String> services, int concurrency, int prefetch, long maxMessageSize,
			boolean trackStarted, Duration shutdownTimeout, Duration confirmTimeout) {
		this(name, services, concurrency, prefetch, maxMessageSize, trackStarted, shutdownTimeout, confirmTimeout,
				DEFAULT_MAX_DELIVERIES);
	}

	/**
	 * Returns the name a worker has when none is configured:
	 * {@code celeriac-<pid>@<host>}, Celery's {@code celery@%h} with this process's id,
	 * so that two workers on one host are two workers (in the worker registry, neither
	 * unregisters the other).
	 * @return the default name, e.g. {@code celeriac-21586@vm}
	 */
	public static String defaultName() {
		return defaultName(Origin.hostName(), ProcessHandle.current().pid());
	}

	/**
	 * Returns the name a worker has when none is configured, for a given host and
	 * process.
	 * @param host the host name
	 * @param pid the process id
	 * @return {@code celeriac-<pid>@<host>}
	 */
	public static String defaultName(String host, long pid) {
		return "celeriac-" + pid + "@" + host;
	}

}

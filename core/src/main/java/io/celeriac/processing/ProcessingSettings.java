package io.celeriac.processing;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How cached operations run: the services whose queues carry the processing and the
 * quarantined requests, how long a processing counts as running, how long outcomes are
 * kept for callers who await them, and how long each operation's results are kept.
 *
 * @param service the service of the processing task ({@code <service>.process}), whose
 * queue the workers consume
 * @param quarantineService the service of the quarantine task
 * ({@code <quarantine-service>.consume}): its queue is the quarantine queue
 * @param pendingTimeout how long a processing counts as running without news; a request
 * after that starts it again. Longer than the slowest operation
 * @param outcomeRetention how long the outcome of a processing is kept for callers who
 * await it
 * @param resultExpiry how long each operation's results are kept, by operation name
 * @param defaultResultExpiry how long the results of an operation not in
 * {@code resultExpiry} are kept, or {@code null} if each operation must have its own
 * @param callbackDelivery how the result reaches the waiting callers
 * @param callbackTaskPrefix with {@link CallbackDelivery#TASK}, what the operation's name
 * is appended to for the callback task's name, e.g. {@code backache.callback.}
 * @param quarantineDestination where quarantined requests go
 * @param quarantineTask with {@link QuarantineDestination#TASK}, the name of the task
 * that receives {@code (operation, uri, exc)}, e.g. {@code backache.quarantine-consumer}
 * @param quarantineQueue with {@link QuarantineDestination#TASK}, the queue (its name
 * without prefix, also the routing key) that task is sent to, e.g. {@code backache-queue}
 * @author Celeriac team
 */
public record ProcessingSettings(String service, String quarantineService, Duration pendingTimeout,
		Duration outcomeRetention, Map<String, Duration> resultExpiry, @Nullable Duration defaultResultExpiry,
		CallbackDelivery callbackDelivery, String callbackTaskPrefix, QuarantineDestination quarantineDestination,
		String quarantineTask, String quarantineQueue) {

	/**
	 * backache's prefix of callback task names.
	 */
	public static final String BACKACHE_CALLBACK_PREFIX = "backache.callback.";

	/**
	 * backache's quarantine task.
	 */
	public static final String BACKACHE_QUARANTINE_TASK = "backache.quarantine-consumer";

	/**
	 * backache's quarantine queue.
	 */
	public static final String BACKACHE_QUARANTINE_QUEUE = "backache-queue";

	public ProcessingSettings {
		if (service.isBlank() || service.contains(".") || quarantineService.isBlank()
				|| quarantineService.contains(".")) {
			throw new IllegalArgumentException("The processing service and quarantine service must be non-blank "
					+ "and have no dot (they are task name prefixes), not '" + service + "' and '" + quarantineService
					+ "'");
		}
		if (service.equals(quarantineService)) {
			throw new IllegalArgumentException("The quarantine service must differ from the processing service '"
					+ service + "': its queue is the quarantine queue");
		}
		if (pendingTimeout.toMillis() < 1 || outcomeRetention.toMillis() < 1) {
			throw new IllegalArgumentException("The pending timeout and the outcome retention must be positive");
		}
		if (callbackTaskPrefix.isBlank() || quarantineTask.isBlank() || quarantineQueue.isBlank()) {
			throw new IllegalArgumentException("The callback task prefix, the quarantine task and the quarantine "
					+ "queue must be non-blank, not '" + callbackTaskPrefix + "', '" + quarantineTask + "' and '"
					+ quarantineQueue + "' (celeriac.processing.callback-task-prefix, quarantine-task and "
					+ "quarantine-queue)");
		}
		resultExpiry = Map.copyOf(resultExpiry);
	}

	/**
	 * Creates settings that call back in process and send quarantined requests to the
	 * quarantine consumers.
	 * @param service the service of the processing task
	 * @param quarantineService the service of the quarantine task
	 * @param pendingTimeout how long a processing counts as running without news
	 * @param outcomeRetention how long outcomes are kept
	 * @param resultExpiry how long each operation's results are kept
	 * @param defaultResultExpiry how long other operations' results are kept, or
	 * {@code null}
	 */
	public ProcessingSettings(String service, String quarantineService, Duration pendingTimeout,
			Duration outcomeRetention, Map<String, Duration> resultExpiry, @Nullable Duration defaultResultExpiry) {
		this(service, quarantineService, pendingTimeout, outcomeRetention, resultExpiry, defaultResultExpiry,
				CallbackDelivery.IN_PROCESS, BACKACHE_CALLBACK_PREFIX, QuarantineDestination.CONSUMERS,
				BACKACHE_QUARANTINE_TASK, BACKACHE_QUARANTINE_QUEUE);
	}

	/**
	 * Returns the name of the task that delivers an operation's result with
	 * {@link CallbackDelivery#TASK}.
	 * @param operation the operation name
	 * @return e.g. {@code backache.callback.thumbnail}
	 */
	public String callbackTaskName(String operation) {
		return this.callbackTaskPrefix + operation;
	}

	/**
	 * Returns the name of the task that runs an operation.
	 * @return {@code <service>.process}
	 */
	public String processTaskName() {
		return this.service + ".process";
	}

	/**
	 * Returns the name of the task that hands a quarantined request to the consumers.
	 * @return {@code <quarantine-service>.consume}
	 */
	public String quarantineTaskName() {
		return this.quarantineService + ".consume";
	}

	/**
	 * Returns how long an operation's results are kept.
	 * @param operation the operation name
	 * @return the expiry
	 * @throws OperationConfigurationException if none is configured
	 */
	public Duration expires(String operation) {
		Duration expires = this.resultExpiry.getOrDefault(operation, this.defaultResultExpiry);
		if (expires == null) {
			throw new OperationConfigurationException("Operation '" + operation + "' has no region for its results: "
					+ "set celeriac.processing.operations." + operation + ".region (or celeriac.processing.region) "
					+ "to a region configured under celeriac.cache.regions");
		}
		return expires;
	}

}

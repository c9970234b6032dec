package io.celeriac.autoconfigure.processing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.celeriac.processing.CallbackDelivery;
import io.celeriac.processing.QuarantineDestination;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cached operations on URIs: where processing runs, and how long results, running
 * processings and outcomes are kept.
 * <p>
 * Bound to {@code celeriac.processing.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.processing")
public class ProcessingProperties {

	/**
	 * Service of the processing task (<service>.process): its queue carries the
	 * processing, and the workers of the applications that define operations consume it.
	 */
	private String service = "processing";

	/**
	 * Service of the quarantine task (<quarantine-service>.consume): its queue is the
	 * quarantine queue, consumed by the QuarantineConsumer beans.
	 */
	private String quarantineService = "processing-quarantine";

	/**
	 * Cache region (under celeriac.cache.regions) whose expires says how long the results
	 * of operations without a region of their own are kept. When unset, they are kept for
	 * celeriac.processing.expires.
	 */
	private @Nullable String region;

	/**
	 * How long the results of operations with no region are kept.
	 */
	private Duration expires = Duration.ofHours(1);

	/**
	 * How long a processing counts as running without news; a request after that starts
	 * it again (and its callback gets the earlier callers too). Longer than the slowest
	 * operation.
	 */
	private Duration pendingTimeout = Duration.ofMinutes(10);

	/**
	 * How long the outcome of a processing is kept for callers who await its callback.
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
	 * callback task's name. Its first segment is the routing key, so list that service
	 * under celeriac.topology.queues.
	 */
	private String callbackTaskPrefix = "backache.callback.";

	/**
	 * Where quarantined requests go: consumers (the quarantine service's queue, whose
	 * task hands them to the QuarantineConsumer beans) or task (backache's
	 * quarantine-task(operation, uri, exc) sent to quarantine-queue).
	 */
	private QuarantineDestination quarantineDestination = QuarantineDestination.CONSUMERS;

	/**
	 * With quarantine-destination task: the name of the task that receives (operation,
	 * uri, exc).
	 */
	private String quarantineTask = "backache.quarantine-consumer";

	/**
	 * With quarantine-destination task: the queue (name without prefix, also the routing
	 * key) the quarantine task is sent to. List it under celeriac.topology.queues.
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
		 * Cache region (under celeriac.cache.regions) whose expires says how long this
		 * operation's results are kept. When unset, celeriac.processing.region applies.
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

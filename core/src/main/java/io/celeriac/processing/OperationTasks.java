package io.celeriac.processing;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.celeriac.task.TaskClient;
import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskOptions;
import io.celeriac.task.TaskRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The worker side of cached operations: the two tasks a worker runs. {@code process} runs
 * an operation on a URI and then stores the result and takes the pending callback
 * arguments in one atomic step, calls the callback with them, and records the outcome; or
 * retries, redirects or quarantines as the operation asked. {@code consume} hands a
 * quarantined request to the {@link QuarantineConsumer}s. Both are plain tasks on the
 * broker, so a worker killed mid-processing has acknowledged nothing and the processing
 * runs again on another worker.
 *
 * @author Celeriac team
 */
public class OperationTasks {

	private static final Logger logger = LoggerFactory.getLogger(OperationTasks.class);

	private final CachedOperations operations;

	private final OperationStore store;

	private final OperationRegistry registry;

	private final TaskClient client;

	private final ObjectMapper mapper;

	private final ProcessingSettings settings;

	private final List<QuarantineConsumer> consumers;

	/**
	 * Creates the tasks.
	 * @param operations the service, to look up and delegate redirection targets
	 * @param store where results and pending callback arguments are kept
	 * @param registry the operations and callbacks
	 * @param client sends retries and quarantined requests
	 * @param mapper reads and writes JSON
	 * @param settings how processing runs
	 * @param consumers receive the quarantined requests
	 */
	public OperationTasks(CachedOperations operations, OperationStore store, OperationRegistry registry,
			TaskClient client, ObjectMapper mapper, ProcessingSettings settings, List<QuarantineConsumer> consumers) {
		this.operations = operations;
		this.store = store;
		this.registry = registry;
		this.client = client;
		this.mapper = mapper;
		this.settings = settings;
		this.consumers = List.copyOf(consumers);
	}

	/**
	 * Registers the two tasks, so that this application's worker consumes the processing
	 * and quarantine queues and the topology declares them.
	 * @param tasks the task registry
	 */
	public void registerTasks(TaskRegistry tasks) {
		tasks.register(new TaskMethod(this.settings.processTaskName(), this, method("process")));
		if (this.settings.quarantineDestination() == QuarantineDestination.CONSUMERS) {
			tasks.register(new TaskMethod(this.settings.quarantineTaskName(), this, method("consume")));
		}
	}

	/**
	 * Checks that every registered operation has a result expiry.
	 * @throws OperationConfigurationException if one has none
	 */
	public void validate() {
		this.registry.names().forEach(this.settings::expires);
	}

	/**
	 * Runs an operation on a URI (the processing task).
	 * @param operation the operation name
	 * @param uri the URI
	 * @param kwargs the keyword arguments of this run
	 * @param processingId the processing id the callers got
	 */
	public void process(String operation, String uri, Map<String, @Nullable Object> kwargs, String processingId) {
		OperationMethod method = this.registry.find(operation)
			.orElseThrow(() -> new OperationConfigurationException(
					"No operation named '" + operation + "' in this worker; operations: " + this.registry.names()));
		OperationKey key = new OperationKey(operation, uri);
		OperationContext context = new OperationContext(operation, uri, processingId, kwargs);
		Object value;
		try {
			value = method.invoke(context);
		}
		catch (OperationRetry retry) {
			this.store.touch(key, this.settings.pendingTimeout().plus(retry.countdown()));
			this.operations.delegate(key, processingId, retry.kwargs(), retry.countdown());
			logger.info("Operation {} retries in {} ms with {}", key, retry.countdown().toMillis(), retry.kwargs());
			return;
		}
		catch (OperationRedirect redirect) {
			redirect(key, redirect.target(), processingId);
			return;
		}
		catch (OperationQuarantine quarantine) {
			quarantine(key, processingId, OperationFailure.of(quarantine), quarantine.kwargs());
			return;
		}
		catch (Exception ex) {
			logger.warn("Operation {} threw {}; the request goes to the quarantine queue", key, ex.toString(), ex);
			quarantine(key, processingId, OperationFailure.of(ex), kwargs);
			return;
		}
		JsonNode result = this.mapper.valueToTree(value);
		List<String> pending = this.store.complete(key, this.mapper.writeValueAsString(result),
				this.settings.expires(operation));
		callBack(key, processingId, result, pending, kwargs);
		this.store.delivered(key);
	}

	/**
	 * Hands a quarantined request to the consumers (the quarantine task).
	 * @param operation the operation name
	 * @param uri the URI
	 * @param exception why it was quarantined
	 * @param kwargs the keyword arguments
	 * @param callbackArgs the callback arguments of the callers that were waiting
	 */
	public void consume(String operation, String uri, OperationFailure exception, Map<String, @Nullable Object> kwargs,
			List<JsonNode> callbackArgs) {
		QuarantinedOperation request = new QuarantinedOperation(operation, uri, exception, kwargs, callbackArgs);
		if (this.consumers.isEmpty()) {
			logger.warn("Quarantined {}({}): {} {} with {}; define a QuarantineConsumer bean to act on it", operation,
					uri, exception.type(), exception.message(), kwargs);
			return;
		}
		for (QuarantineConsumer consumer : this.consumers) {
			consumer.consume(request);
		}
	}

	private void redirect(OperationKey key, String target, String processingId) {
		List<String> pending = this.store.redirect(key, target, this.settings.expires(key.operation()));
		logger.debug("Operation {} redirects to {}", key, target);
		if (pending.isEmpty()) {
			this.store.finish(processingId, CachedOperations.CALLED_BACK, this.settings.outcomeRetention());
			return;
		}
		OperationKey targetKey = new OperationKey(key.operation(), target);
		OperationOutcome outcome = this.operations.resolve(targetKey, pending);
		JsonNode result = outcome.result();
		if (result != null) {
			callBack(targetKey, processingId, result, pending, Map.of());
			this.store.delivered(key);
		}
		else {
			// the arguments are in the target's pending list now
			this.store.delivered(key);
			this.store.finish(processingId, CachedOperations.REDIRECT_PREFIX + outcome.processingId(),
					this.settings.outcomeRetention());
		}
	}

	private void callBack(OperationKey key, String processingId, JsonNode result, List<String> pending,
			Map<String, @Nullable Object> kwargs) {
		List<JsonNode> callbackArgs = pending.stream().map(this.mapper::readTree).toList();
		if (this.settings.callbackDelivery() == CallbackDelivery.TASK) {
			if (!callbackArgs.isEmpty()) {
				// backache's callback task: one argument, (result, [cb_args...]); a send
				// that
				// fails fails this processing task, and the taken arguments stay
				// undelivered
				this.client.send(this.settings.callbackTaskName(key.operation()),
						List.of(List.of(result, callbackArgs)), Map.of(), TaskOptions.defaults());
			}
			this.store.finish(processingId, CachedOperations.CALLED_BACK, this.settings.outcomeRetention());
			return;
		}
		Optional<CallbackMethod> callback = this.registry.callback(key.operation());
		if (callback.isPresent() && !callbackArgs.isEmpty()) {
			try {
				callback.get().invoke(this.mapper, result, callbackArgs);
			}
			catch (Exception ex) {
				logger.warn("The callback of {} threw {}; the request goes to the quarantine queue", key, ex.toString(),
						ex);
				sendToQuarantine(key, OperationFailure.of(ex), kwargs, callbackArgs);
				this.store.finish(processingId, CachedOperations.QUARANTINED, this.settings.outcomeRetention());
				return;
			}
		}
		this.store.finish(processingId, CachedOperations.CALLED_BACK, this.settings.outcomeRetention());
	}

	private void quarantine(OperationKey key, String processingId, OperationFailure failure,
			Map<String, @Nullable Object> kwargs) {
		List<JsonNode> callbackArgs = this.store.abandon(key, this.settings.pendingTimeout().multipliedBy(2))
			.stream()
			.map(this.mapper::readTree)
			.toList();
		sendToQuarantine(key, failure, kwargs, callbackArgs);
		this.store.delivered(key);
		this.store.finish(processingId, CachedOperations.QUARANTINED, this.settings.outcomeRetention());
	}

	private void sendToQuarantine(OperationKey key, OperationFailure failure, Map<String, @Nullable Object> kwargs,
			List<JsonNode> callbackArgs) {
		if (this.settings.quarantineDestination() == QuarantineDestination.TASK) {
			this.client.send(this.settings.quarantineTask(),
					List.of(key.operation(), key.uri(), exception(failure, kwargs, callbackArgs)), Map.of(),
					TaskOptions.defaults().withRoutingKey(this.settings.quarantineQueue()).withIgnoreResult(true));
			return;
		}
		this.client.send(this.settings.quarantineTaskName(),
				List.of(key.operation(), key.uri(), failure, kwargs, callbackArgs), Map.of(),
				TaskOptions.defaults().withIgnoreResult(true));
	}

	/**
	 * The {@code exc} argument of backache's quarantine task: Celery's JSON form of an
	 * exception ({@code exc_type}, {@code exc_message}, {@code exc_module}), with the
	 * run's kwargs ({@code op_kwargs}, as backache's ProcessingInQuarantineException),
	 * the callback arguments of the callers that will not be called back
	 * ({@code cb_args}) and the Java stack trace.
	 */
	private static Map<String, @Nullable Object> exception(OperationFailure failure,
			Map<String, @Nullable Object> kwargs, List<JsonNode> callbackArgs) {
		int dot = failure.type().lastIndexOf('.');
		Map<String, @Nullable Object> exc = new LinkedHashMap<>();
		exc.put("exc_type", failure.type().substring(dot + 1));
		exc.put("exc_message", List.of(failure.message()));
		exc.put("exc_module", (dot > 0) ? failure.type().substring(0, dot) : "");
		exc.put("op_kwargs", kwargs);
		exc.put("cb_args", callbackArgs);
		exc.put("traceback", failure.stackTrace());
		return exc;
	}

	private static Method method(String name) {
		return Arrays.stream(OperationTasks.class.getMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
	}

}

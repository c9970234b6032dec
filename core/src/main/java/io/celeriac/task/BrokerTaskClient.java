package io.celeriac.task;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import io.celeriac.broker.Broker;
import io.celeriac.debounce.DebounceDecision;
import io.celeriac.debounce.Debouncer;
import io.celeriac.execution.MetadataContributor;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.observation.DefaultTaskPublishObservationConvention;
import io.celeriac.observation.TaskObservationDocumentation;
import io.celeriac.observation.TaskPublishContext;
import io.celeriac.observation.TaskPublishObservationConvention;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.Origin;
import io.celeriac.protocol.CeleryTime;
import io.celeriac.protocol.TaskBody;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.result.ResultWatcher;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link TaskClient} that publishes Celery protocol v2 messages to the topology's
 * exchange with the routing key the {@link TaskRouter} chooses. Each publish is a
 * {@code celeriac.task.publish} observation whose trace context travels in the message's
 * headers, and the producer's {@link TaskLifecycleListener} events (push, debounce
 * delayed, debounce skipped) are fired here.
 *
 * @author Celeriac team
 */
public class BrokerTaskClient implements TaskClient {

	private static final Logger logger = LoggerFactory.getLogger(BrokerTaskClient.class);

	private final Broker broker;

	private final Topology topology;

	private final TaskRouter router;

	private final CeleryProtocol protocol;

	private final @Nullable ResultWatcher watcher;

	private final @Nullable Debouncer debouncer;

	private final List<MetadataContributor> contributors;

	private final List<TaskLifecycleListener> listeners;

	private final ObservationRegistry observationRegistry;

	private final @Nullable TaskPublishObservationConvention observationConvention;

	private final String replyTo = UUID.randomUUID().toString();

	private final String origin = Origin.current();

	/**
	 * Creates a client.
	 * @param broker the broker to publish to
	 * @param topology the topology, whose exchange receives the messages
	 * @param router chooses each message's routing key
	 * @param protocol the message codec
	 * @param watcher reads results for the handles, or {@code null} without a result
	 * store
	 */
	public BrokerTaskClient(Broker broker, Topology topology, TaskRouter router, CeleryProtocol protocol,
			@Nullable ResultWatcher watcher) {
		this(broker, topology, router, protocol, watcher, null);
	}

	/**
	 * Creates a client that can debounce.
	 * @param broker the broker to publish to
	 * @param topology the topology, whose exchange receives the messages
	 * @param router chooses each message's routing key
	 * @param protocol the message codec
	 * @param watcher reads results for the handles, or {@code null} without a result
	 * store
	 * @param debouncer decides debounced calls ({@link TaskOptions#withDebounce}), or
	 * {@code null} to refuse them
	 */
	public BrokerTaskClient(Broker broker, Topology topology, TaskRouter router, CeleryProtocol protocol,
			@Nullable ResultWatcher watcher, @Nullable Debouncer debouncer) {
		this(broker, topology, router, protocol, watcher, debouncer, List.of());
	}

	/**
	 * Creates a client that can debounce and carries metadata.
	 * @param broker the broker to publish to
	 * @param topology the topology, whose exchange receives the messages
	 * @param router chooses each message's routing key
	 * @param protocol the message codec
	 * @param watcher reads results for the handles, or {@code null} without a result
	 * store
	 * @param debouncer decides debounced calls ({@link TaskOptions#withDebounce}), or
	 * {@code null} to refuse them
	 * @param contributors produce the metadata headers of each message
	 */
	public BrokerTaskClient(Broker broker, Topology topology, TaskRouter router, CeleryProtocol protocol,
			@Nullable ResultWatcher watcher, @Nullable Debouncer debouncer, List<MetadataContributor> contributors) {
		this(broker, topology, router, protocol, watcher, debouncer,
				new TaskClientExtensions(contributors, List.of(), ObservationRegistry.NOOP, null));
	}

	/**
	 * Creates a client with its extensions.
	 * @param broker the broker to publish to
	 * @param topology the topology, whose exchange receives the messages
	 * @param router chooses each message's routing key
	 * @param protocol the message codec
	 * @param watcher reads results for the handles, or {@code null} without a result
	 * store
	 * @param debouncer decides debounced calls ({@link TaskOptions#withDebounce}), or
	 * {@code null} to refuse them
	 * @param extensions metadata contributors, lifecycle listeners and the observation
	 * registry
	 */
	public BrokerTaskClient(Broker broker, Topology topology, TaskRouter router, CeleryProtocol protocol,
			@Nullable ResultWatcher watcher, @Nullable Debouncer debouncer, TaskClientExtensions extensions) {
		this.contributors = extensions.contributors();
		this.listeners = extensions.listeners();
		this.observationRegistry = extensions.observationRegistry();
		this.observationConvention = extensions.observationConvention();
		this.debouncer = debouncer;
		this.broker = broker;
		this.topology = topology;
		this.router = router;
		this.protocol = protocol;
		this.watcher = watcher;
	}

	@Override
	public <T> TaskHandle<T> send(String name, List<?> args, Map<String, ?> kwargs, TaskOptions options,
			Type resultType) {
		try {
			return this.<T>sendAsync(name, args, kwargs, options, resultType).join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof TaskPublishException publishFailure) {
				throw publishFailure;
			}
			throw new TaskPublishException("Task " + name + " could not be sent", ex.getCause());
		}
	}

	@Override
	public <T> TaskHandle<T> handle(String taskId, Type resultType) {
		ObjectMapper mapper = this.protocol.mapper();
		return new ResultHandle<>(taskId, "task", this.watcher, mapper,
				mapper.getTypeFactory().constructType(resultType));
	}

	@Override
	public <T> CompletableFuture<TaskHandle<T>> sendAsync(String name, List<?> args, Map<String, ?> kwargs,
			TaskOptions options, Type resultType) {
		ObjectMapper mapper = this.protocol.mapper();
		JavaType type = mapper.getTypeFactory().constructType(resultType);
		@Nullable Duration debounceDelay = null;
		@Nullable Debounced debounced = null;
		if (options.debounce() != null) {
			debounced = debounce(name, args, kwargs, options);
			DebounceDecision decision = debounced.decision();
			if (decision.outcome() == DebounceDecision.Outcome.SKIPPED) {
				logger.debug("Task {} skipped: an identical call is pending within its debounce window", name);
				notify((listener) -> listener.onDebounceSkipped(name, args, kwargs));
				return CompletableFuture
					.completedFuture(new ResultHandle<>(UUID.randomUUID().toString(), name, null, mapper, type));
			}
			if (decision.outcome() == DebounceDecision.Outcome.DELAYED) {
				debounceDelay = decision.delay();
				options = options.withEta(Instant.now().plus(debounceDelay));
			}
		}
		String routingKey = (options.routingKey() != null) ? options.routingKey() : this.router.routingKey(name);
		String exchange = this.topology.exchange();
		TaskPublishContext context = new TaskPublishContext(name, exchange, routingKey);
		Observation observation = TaskObservationDocumentation.TASK_PUBLISH.observation(this.observationConvention,
				DefaultTaskPublishObservationConvention.INSTANCE, () -> context, this.observationRegistry);
		// starting the observation writes the trace context into the context's headers
		observation.start();
		TaskMessage message;
		try {
			message = message(name, args, kwargs, options, context.headers());
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			undo(debounced, name);
			throw ex;
		}
		context.setTaskId(message.id());
		if (debounceDelay != null) {
			Duration delay = debounceDelay;
			notify((listener) -> listener.onDebounceDelayed(message, delay));
		}
		CompletableFuture<Void> confirmed;
		try (Observation.Scope scope = observation.openScope()) {
			confirmed = this.broker.publish(exchange, routingKey, this.protocol.encode(message));
		}
		catch (RuntimeException ex) {
			confirmed = CompletableFuture.failedFuture(ex);
		}
		TaskHandle<T> handle = new ResultHandle<>(message.id(), name, this.watcher, mapper, type);
		Debounced decided = debounced;
		return confirmed.handle((ignored, failure) -> {
			if (failure != null) {
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				observation.error(cause);
				observation.stop();
				// not sent: the next identical call must not be skipped or delayed for it
				undo(decided, name);
				throw new TaskPublishException("Task " + name + "[" + message.id()
						+ "] was not confirmed by the broker: " + cause.getMessage(), cause);
			}
			observation.stop();
			notify((listener) -> listener.onPush(message, routingKey));
			return handle;
		});
	}

	private void notify(Consumer<TaskLifecycleListener> event) {
		for (TaskLifecycleListener listener : this.listeners) {
			try {
				event.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Task lifecycle listener {} threw {}; the task goes on", listener, ex.toString(), ex);
			}
		}
	}

	private void undo(@Nullable Debounced debounced, String name) {
		if (debounced == null || this.debouncer == null) {
			return;
		}
		try {
			this.debouncer.undo(debounced.key(), debounced.decision());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not undo the debounce decision of task {} after its publish failed ({}); identical "
					+ "calls may be skipped until its window ends", name, ex.toString());
		}
	}

	private Debounced debounce(String name, List<?> args, Map<String, ?> kwargs, TaskOptions options) {
		Duration window = options.debounce();
		if (this.debouncer == null || window == null) {
			throw new IllegalStateException("Task " + name + " asks for debouncing but this client has no Debouncer; "
					+ "configure one (celeriac.scheduler.type=redis for debouncing across processes)");
		}
		if (options.eta() != null) {
			throw new IllegalArgumentException("Task " + name + " has both a debounce window and an eta (or delay); "
					+ "debouncing chooses the delay itself, so give one or the other");
		}
		ObjectMapper mapper = this.protocol.mapper();
		String call = name + "\n" + mapper.writeValueAsString(args) + "\n"
				+ mapper.writeValueAsString(new TreeMap<>(kwargs));
		String key = name + ":" + sha256(call);
		return new Debounced(key, this.debouncer.decide(key, window, options.debounceAlwaysDelay()));
	}

	private record Debounced(String key, DebounceDecision decision) {

	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	private TaskMessage message(String name, List<?> args, Map<String, ?> kwargs, TaskOptions options,
			Map<String, Object> observationHeaders) {
		ObjectMapper mapper = this.protocol.mapper();
		ArrayNode argsNode = mapper.valueToTree(args);
		JsonNode kwargsValue = mapper.valueToTree(kwargs);
		ObjectNode kwargsNode = (kwargsValue instanceof ObjectNode object) ? object : mapper.createObjectNode();
		String id = (options.taskId() != null) ? options.taskId() : UUID.randomUUID().toString();
		Map<String, @Nullable Object> extra = new java.util.LinkedHashMap<>(options.headers());
		for (MetadataContributor contributor : this.contributors) {
			String value = contributor.produce();
			if (value != null) {
				extra.putIfAbsent(MetadataContributor.HEADER_PREFIX + contributor.namespace(), value);
			}
		}
		observationHeaders.forEach(extra::putIfAbsent);
		Instant expires = options.expires();
		// a task sent while another runs is its child, as Celery links them
		CurrentTask parent = CurrentTask.get();
		TaskHeaders headers = TaskHeaders.builder(name, id, this.origin)
			.eta(options.eta())
			.expires(expires)
			.lineage((parent != null) ? parent.rootId() : null, (parent != null) ? parent.id() : null)
			.reprs(CeleryProtocol.pythonRepr(argsNode), CeleryProtocol.pythonRepr(kwargsNode))
			.ignoreResult(options.ignoreResult())
			.extra(extra)
			.build();
		return new TaskMessage(headers, new TaskBody(argsNode, kwargsNode, this.protocol.emptyEmbed()), this.replyTo,
				options.priority(), CeleryTime.expiration(expires, Instant.now()));
	}

}

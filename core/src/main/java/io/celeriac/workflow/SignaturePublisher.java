package io.celeriac.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.celeriac.broker.Broker;
import io.celeriac.broker.PublishFailedException;
import io.celeriac.execution.MetadataContributor;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.Origin;
import io.celeriac.protocol.TaskBody;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.protocol.TimeLimit;
import io.celeriac.protocol.WireMessage;
import io.celeriac.topology.TaskRouter;
import io.celeriac.topology.Topology;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns signatures into Celery protocol v2 task messages and publishes them, with the
 * {@code embed} ({@code callbacks}, {@code errbacks}, {@code chain}, {@code chord}) and
 * the workflow headers Celery 5.2.6 writes. Clients and workers share it.
 *
 * @author Celeriac team
 */
public class SignaturePublisher {

	private final Broker broker;

	private final Topology topology;

	private final TaskRouter router;

	private final CeleryProtocol protocol;

	private final List<MetadataContributor> contributors;

	private final String replyTo = UUID.randomUUID().toString();

	private final String origin = Origin.current();

	/**
	 * Creates a publisher.
	 * @param broker the broker to publish to
	 * @param topology the topology, whose exchange receives the messages
	 * @param router chooses the routing key of a signature without a queue
	 * @param protocol the message codec
	 * @param contributors produce the metadata headers of each message
	 */
	public SignaturePublisher(Broker broker, Topology topology, TaskRouter router, CeleryProtocol protocol,
			List<MetadataContributor> contributors) {
		this.broker = broker;
		this.topology = topology;
		this.router = router;
		this.protocol = protocol;
		this.contributors = List.copyOf(contributors);
	}

	/**
	 * Returns the message codec.
	 * @return the codec
	 */
	public CeleryProtocol protocol() {
		return this.protocol;
	}

	/**
	 * Returns the {@code origin} this process writes on the messages it sends.
	 * @return e.g. {@code gen26493@vm}
	 */
	public String origin() {
		return this.origin;
	}

	/**
	 * Returns the id of this publisher that messages carry as {@code reply_to}.
	 * @return the id
	 */
	public String replyTo() {
		return this.replyTo;
	}

	/**
	 * Returns the JSON mapper.
	 * @return the mapper
	 */
	public ObjectMapper mapper() {
		return this.protocol.mapper();
	}

	/**
	 * Returns a copy of the signature with a task id and this publisher's reply-to, as
	 * Celery's {@code freeze} gives the steps of a chain or a chord body.
	 * @param signature the signature
	 * @return the frozen signature
	 */
	public Signature freeze(Signature signature) {
		Signature frozen = signature;
		if (frozen.taskId() == null) {
			frozen = frozen.withTaskId(UUID.randomUUID().toString());
		}
		if (!frozen.options().containsKey("reply_to")) {
			frozen = frozen.withOption("reply_to", this.replyTo);
		}
		return frozen;
	}

	/**
	 * Returns the routing key a signature is published with: its {@code routing_key}
	 * option, else its {@code queue} option (without the topology's queue-name prefix, as
	 * service queues are bound by their service name), else the router's choice.
	 * @param signature the signature
	 * @return the routing key
	 */
	public String routingKey(Signature signature) {
		Object routingKey = signature.options().get("routing_key");
		if (routingKey != null) {
			return routingKey.toString();
		}
		Object queue = signature.options().get("queue");
		if (queue != null) {
			String name = queue.toString();
			String prefix = this.topology.queueNamePrefix();
			return (!prefix.isEmpty() && name.startsWith(prefix)) ? name.substring(prefix.length()) : name;
		}
		return this.router.routingKey(signature.task());
	}

	/**
	 * Builds the message of a frozen signature.
	 * @param signature the signature, with a task id
	 * @param parentResult the parent's result, prepended to the arguments unless the
	 * signature is immutable, or {@code null} to prepend nothing
	 * @param placement the workflow headers
	 * @param chain the remaining chain steps, last step first, or {@code null}
	 * @param chord the chord body this task is a header member of, or {@code null}
	 * @return the message
	 */
	public TaskMessage message(Signature signature, @Nullable JsonNode parentResult, Placement placement,
			@Nullable List<Signature> chain, @Nullable Signature chord) {
		ObjectMapper mapper = mapper();
		String id = signature.taskId();
		if (id == null) {
			throw new IllegalArgumentException("Signature " + signature + " has no task id; freeze it first");
		}
		ArrayNode args = mapper.createArrayNode();
		if (parentResult != null && !signature.immutable()) {
			args.add(parentResult);
		}
		signature.args().forEach((arg) -> args.add(mapper.<JsonNode>valueToTree(arg)));
		JsonNode kwargsValue = mapper.valueToTree(signature.kwargs());
		ObjectNode kwargs = (kwargsValue instanceof ObjectNode object) ? object : mapper.createObjectNode();
		ObjectNode embed = mapper.createObjectNode();
		embed.set("callbacks", signatures(signature.links()));
		embed.set("errbacks", signatures(signature.errorLinks()));
		if (chain != null) {
			ArrayNode steps = embed.putArray("chain");
			chain.forEach((step) -> steps.add(step.toJson(mapper)));
		}
		else {
			embed.putNull("chain");
		}
		embed.set("chord", (chord != null) ? chord.toJson(mapper) : mapper.nullNode());
		Map<String, @Nullable Object> extra = new LinkedHashMap<>();
		for (MetadataContributor contributor : this.contributors) {
			String value = contributor.produce();
			if (value != null) {
				extra.put(MetadataContributor.HEADER_PREFIX + contributor.namespace(), value);
			}
		}
		Map<String, Object> options = signature.options();
		Instant eta = (options.get("countdown") instanceof Number countdown)
				? Instant.now().plusMillis(Math.round(countdown.doubleValue() * 1000)) : null;
		TaskHeaders headers = TaskHeaders.builder(signature.task(), id, this.origin)
			.eta(eta)
			.group(placement.group(), placement.groupIndex())
			.lineage(placement.rootId(), placement.parentId())
			.reprs(tupleRepr(args), CeleryProtocol.pythonRepr(kwargs))
			.ignoreResult(Boolean.TRUE.equals(booleanOption(options.get("ignore_result"))))
			.extra(extra)
			.build();
		Object replyTo = options.get("reply_to");
		int priority = (options.get("priority") instanceof Number number) ? number.intValue() : 0;
		return new TaskMessage(headers, new TaskBody(args, kwargs, embed),
				(replyTo != null) ? replyTo.toString() : this.replyTo, priority, null);
	}

	private static @Nullable Boolean booleanOption(@Nullable Object value) {
		return (value instanceof Boolean bool) ? bool : null;
	}

	private JsonNode signatures(List<Signature> signatures) {
		if (signatures.isEmpty()) {
			return mapper().nullNode();
		}
		ArrayNode list = mapper().createArrayNode();
		signatures.forEach((signature) -> list.add(signature.toJson(mapper())));
		return list;
	}

	/**
	 * Renders positional arguments as Python prints the tuple Celery keeps them in:
	 * {@code (4, 10)}, {@code (5,)}.
	 */
	static String tupleRepr(ArrayNode args) {
		String list = CeleryProtocol.pythonRepr(args);
		if (!list.startsWith("[") || !list.endsWith("]")) {
			return list;
		}
		String inner = list.substring(1, list.length() - 1);
		return "(" + inner + ((args.size() == 1) ? ",)" : ")");
	}

	/**
	 * Publishes a message to the topology's exchange.
	 * @param message the message
	 * @param routingKey the routing key
	 * @return a future completed when the broker confirmed it
	 */
	public CompletableFuture<Void> publish(TaskMessage message, String routingKey) {
		WireMessage encoded;
		try {
			encoded = this.protocol.encode(message);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.broker.publishAsync(this.topology.exchange(), routingKey, encoded);
	}

	/**
	 * Builds and publishes the message of a frozen signature, with the routing key of
	 * {@link #routingKey(Signature)}.
	 * @param signature the signature, with a task id
	 * @param parentResult the parent's result to prepend, or {@code null}
	 * @param placement the workflow headers
	 * @param chain the remaining chain steps, last step first, or {@code null}
	 * @param chord the chord body, or {@code null}
	 * @return a future completed when the broker confirmed it
	 */
	public CompletableFuture<Void> publish(Signature signature, @Nullable JsonNode parentResult, Placement placement,
			@Nullable List<Signature> chain, @Nullable Signature chord) {
		TaskMessage message;
		try {
			message = message(signature, parentResult, placement, chain, chord);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return publish(message, routingKey(signature));
	}

	/**
	 * Waits for the broker's confirmations of published messages.
	 * @param confirmations the futures of {@code publish}
	 * @param timeoutMillis how long to wait at most
	 * @throws PublishFailedException if one was not confirmed in time
	 */
	public static void await(List<CompletableFuture<Void>> confirmations, long timeoutMillis) {
		Broker.awaitConfirmations(confirmations, Duration.ofMillis(timeoutMillis));
	}

}

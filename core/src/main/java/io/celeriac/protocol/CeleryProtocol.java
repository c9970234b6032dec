package io.celeriac.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.celeriac.security.MessagePayload;
import io.celeriac.security.MessageSignatureException;
import io.celeriac.security.MessageSigner;
import io.celeriac.security.MessageVerifier;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes and decodes Celery protocol v2 task messages with JSON bodies, header for
 * header as Celery 5.2.6 writes them, so that a Python Celery worker runs what Celeriac
 * sends and the other way round. Given a signer and a verifier, it signs the bodies it
 * encodes and verifies those it decodes as Celery's {@code auth} serializer does
 * ({@code io.celeriac.security}).
 *
 * @author Celeriac team
 */
public final class CeleryProtocol {

	/**
	 * The content type of every task message.
	 */
	public static final String CONTENT_TYPE = "application/json";

	/**
	 * The content encoding of every task message.
	 */
	public static final String CONTENT_ENCODING = "utf-8";

	private static final List<String> KNOWN_HEADERS = List.of("lang", "task", "id", "shadow", "eta", "expires", "group",
			"group_index", "retries", "timelimit", "root_id", "parent_id", "argsrepr", "kwargsrepr", "origin",
			"ignore_result");

	private static final Set<String> KNOWN = Set.copyOf(KNOWN_HEADERS);

	/**
	 * The content type of a task message signed by Celery's {@code auth} serializer.
	 */
	public static final String SIGNED_CONTENT_TYPE = "application/data";

	private final ObjectMapper mapper;

	private final @Nullable MessageSigner signer;

	private final @Nullable MessageVerifier verifier;

	/**
	 * Creates a codec that reads and writes JSON with the given mapper.
	 * @param mapper the JSON mapper
	 */
	public CeleryProtocol(ObjectMapper mapper) {
		this(mapper, null, null);
	}

	/**
	 * Creates a codec that signs the messages it encodes and verifies those it decodes.
	 * @param mapper the JSON mapper
	 * @param signer signs every encoded body, or {@code null} to send them unsigned
	 * @param verifier verifies every decoded message before it is read, or {@code null}
	 * to read unsigned messages only
	 */
	public CeleryProtocol(ObjectMapper mapper, @Nullable MessageSigner signer, @Nullable MessageVerifier verifier) {
		this.mapper = mapper;
		this.signer = signer;
		this.verifier = verifier;
	}

	/**
	 * Returns the JSON mapper of this codec.
	 * @return the mapper
	 */
	public ObjectMapper mapper() {
		return this.mapper;
	}

	/**
	 * Renders arguments as Python's {@code repr} would, for {@code argsrepr} and
	 * {@code kwargsrepr}.
	 * @param value the arguments
	 * @return the rendering, at most 1024 characters
	 */
	public static String pythonRepr(JsonNode value) {
		return PythonRepr.of(value);
	}

	/**
	 * Encodes a task message for a broker.
	 * @param message the message
	 * @return the body, properties and header table
	 */
	public WireMessage encode(TaskMessage message) {
		TaskHeaders headers = message.headers();
		Map<String, @Nullable Object> table = new LinkedHashMap<>();
		table.put("lang", headers.lang());
		table.put("task", headers.task());
		table.put("id", headers.id());
		table.put("shadow", headers.shadow());
		table.put("eta", headers.eta());
		table.put("expires", headers.expires());
		table.put("group", headers.group());
		table.put("group_index", headers.groupIndex());
		table.put("retries", headers.retries());
		table.put("timelimit", Arrays.asList(headers.timeLimit().hard(), headers.timeLimit().soft()));
		table.put("root_id", headers.rootId());
		table.put("parent_id", headers.parentId());
		table.put("argsrepr", headers.argsrepr());
		table.put("kwargsrepr", headers.kwargsrepr());
		table.put("origin", headers.origin());
		table.put("ignore_result", headers.ignoreResult());
		headers.extra().forEach(table::putIfAbsent);
		ArrayNode body = this.mapper.createArrayNode();
		body.add(message.body().args());
		body.add(message.body().kwargs());
		body.add(message.body().embed());
		MessagePayload payload = new MessagePayload(this.mapper.writeValueAsBytes(body), CONTENT_TYPE,
				CONTENT_ENCODING);
		if (this.signer != null) {
			payload = this.signer.sign(payload);
		}
		return new WireMessage(payload.body(), payload.contentType(), payload.contentEncoding(), table, headers.id(),
				message.replyTo(), message.priority(), true, message.expiration());
	}

	/**
	 * Decodes a message from a broker.
	 * @param wire the message as received
	 * @return the task message
	 * @throws InvalidTaskMessageException if it is not a protocol v2 JSON task message,
	 * or its signature is missing or wrong where a verifier requires one
	 */
	public TaskMessage decode(WireMessage wire) {
		String unreadable = wire.unreadableReason();
		if (unreadable != null) {
			throw new InvalidTaskMessageException(ErrorKind.UNREADABLE_MESSAGE, unreadable);
		}
		MessagePayload payload = verified(wire);
		checkContentType(payload.contentType(), payload.contentEncoding());
		Map<String, @Nullable Object> table = wire.headers();
		String task = requiredText(table, "task");
		String id = requiredText(table, "id");
		TaskBody body = decodeBody(payload.body());
		Map<String, @Nullable Object> extra = new LinkedHashMap<>();
		table.forEach((name, value) -> {
			if (!KNOWN.contains(name)) {
				extra.put(name, value);
			}
		});
		String rootId = text(table, "root_id");
		TaskHeaders headers = new TaskHeaders(textOr(table, "lang", "py"), task, id, text(table, "shadow"),
				text(table, "eta"), text(table, "expires"), text(table, "group"), integer(table, "group_index"),
				integerOr(table, "retries", 0), timeLimit(table.get("timelimit")), (rootId != null) ? rootId : id,
				text(table, "parent_id"), textOr(table, "argsrepr", ""), textOr(table, "kwargsrepr", ""),
				textOr(table, "origin", ""), Boolean.TRUE.equals(table.get("ignore_result")), extra);
		String replyTo = (wire.replyTo() != null) ? wire.replyTo() : "";
		return new TaskMessage(headers, body, replyTo, wire.priority(), wire.expiration());
	}

	private MessagePayload verified(WireMessage wire) {
		String contentType = (wire.contentType() != null) ? wire.contentType() : CONTENT_TYPE;
		String encoding = (wire.contentEncoding() != null) ? wire.contentEncoding() : CONTENT_ENCODING;
		MessagePayload payload = new MessagePayload(wire.body(), contentType, encoding);
		if (this.verifier == null) {
			if (contentType.equalsIgnoreCase(SIGNED_CONTENT_TYPE)) {
				throw new InvalidTaskMessageException(ErrorKind.UNSUPPORTED_CONTENT_TYPE,
						"Content type '" + contentType
								+ "' (a message signed by Celery's auth serializer) is not accepted: message "
								+ "signing is off here; turn it on with celeriac.security.enabled=true");
			}
			return payload;
		}
		try {
			return this.verifier.verify(payload);
		}
		catch (MessageSignatureException ex) {
			ErrorKind kind = switch (ex.getReason()) {
				case UNSIGNED -> ErrorKind.UNSIGNED_MESSAGE;
				case UNKNOWN_SIGNER -> ErrorKind.UNKNOWN_SIGNER;
				case INVALID_SIGNATURE -> ErrorKind.INVALID_SIGNATURE;
			};
			throw new InvalidTaskMessageException(kind, ex.getMessage(), ex);
		}
	}

	private static void checkContentType(@Nullable String contentType, @Nullable String encoding) {
		if (contentType != null && !contentType.equalsIgnoreCase(CONTENT_TYPE)) {
			throw new InvalidTaskMessageException(ErrorKind.UNSUPPORTED_CONTENT_TYPE,
					"Content type '" + contentType + "' is not accepted; only " + CONTENT_TYPE + " is");
		}
		if (encoding != null && !encoding.equalsIgnoreCase(CONTENT_ENCODING) && !encoding.equalsIgnoreCase("utf8")) {
			throw new InvalidTaskMessageException(ErrorKind.UNSUPPORTED_CONTENT_TYPE,
					"Content encoding '" + encoding + "' is not accepted; only " + CONTENT_ENCODING + " is");
		}
	}

	private TaskBody decodeBody(byte[] bytes) {
		JsonNode body;
		try {
			body = this.mapper.readTree(bytes);
		}
		catch (JacksonException ex) {
			throw new InvalidTaskMessageException(ErrorKind.BODY_NOT_JSON,
					"Body is not JSON: " + ex.getOriginalMessage() + " (body starts with '" + preview(bytes) + "')",
					ex);
		}
		if (body == null || !body.isArray() || body.size() != 3) {
			throw new InvalidTaskMessageException(ErrorKind.BODY_NOT_PROTOCOL_V2,
					"Body is not the protocol v2 triple [args, kwargs, embed] (body starts with '" + preview(bytes)
							+ "')");
		}
		JsonNode args = body.get(0);
		JsonNode kwargs = body.get(1);
		JsonNode embed = body.get(2);
		if (!args.isArray()) {
			throw new InvalidTaskMessageException(ErrorKind.BODY_NOT_PROTOCOL_V2,
					"The first element of the body (args) is not a JSON array");
		}
		if (!kwargs.isObject()) {
			throw new InvalidTaskMessageException(ErrorKind.BODY_NOT_PROTOCOL_V2,
					"The second element of the body (kwargs) is not a JSON object");
		}
		if (!embed.isObject() && !embed.isNull()) {
			throw new InvalidTaskMessageException(ErrorKind.BODY_NOT_PROTOCOL_V2,
					"The third element of the body (embed) is not a JSON object");
		}
		ObjectNode embedObject = embed.isObject() ? (ObjectNode) embed : this.mapper.createObjectNode();
		return new TaskBody((ArrayNode) args, (ObjectNode) kwargs, embedObject);
	}

	/**
	 * Returns an empty {@code embed} as Celery sends it for a lone task.
	 * @return {@code {"callbacks": null, "errbacks": null, "chain": null, "chord": null}}
	 */
	public ObjectNode emptyEmbed() {
		ObjectNode embed = this.mapper.createObjectNode();
		embed.putNull("callbacks");
		embed.putNull("errbacks");
		embed.putNull("chain");
		embed.putNull("chord");
		return embed;
	}

	private static String preview(byte[] bytes) {
		String text = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8);
		return text.replaceAll("\\p{Cntrl}", "?");
	}

	private static String requiredText(Map<String, @Nullable Object> table, String name) {
		String value = text(table, name);
		if (value == null || value.isBlank()) {
			throw new InvalidTaskMessageException(ErrorKind.MISSING_HEADER,
					"Header '" + name + "' is missing; a protocol v2 task message needs 'task' and 'id'");
		}
		return value;
	}

	private static @Nullable String text(Map<String, @Nullable Object> table, String name) {
		Object value = table.get(name);
		return (value != null) ? value.toString() : null;
	}

	private static String textOr(Map<String, @Nullable Object> table, String name, String fallback) {
		String value = text(table, name);
		return (value != null) ? value : fallback;
	}

	private static @Nullable Integer integer(Map<String, @Nullable Object> table, String name) {
		Object value = table.get(name);
		return (value instanceof Number number) ? number.intValue() : null;
	}

	private static int integerOr(Map<String, @Nullable Object> table, String name, int fallback) {
		Integer value = integer(table, name);
		return (value != null) ? value : fallback;
	}

	private static TimeLimit timeLimit(@Nullable Object value) {
		if (value instanceof List<?> limits && limits.size() == 2) {
			List<@Nullable Number> numbers = new ArrayList<>();
			for (Object limit : limits) {
				numbers.add((limit instanceof Number number) ? number : null);
			}
			return new TimeLimit(numbers.get(0), numbers.get(1));
		}
		return TimeLimit.NONE;
	}

}

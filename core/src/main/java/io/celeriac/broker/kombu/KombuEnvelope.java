package io.celeriac.broker.kombu;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kombu's message envelope, as its virtual transports (Redis, SQS) store a message: the
 * JSON object {@code {"body", "content-encoding", "content-type", "headers",
 * "properties"}} whose {@code body} is base64 ({@code properties.body_encoding}) and
 * whose {@code properties} carry {@code delivery_tag}, {@code delivery_info}
 * ({@code exchange}, {@code routing_key}), {@code priority}, {@code correlation_id},
 * {@code reply_to}, {@code delivery_mode} and {@code expiration}. One writer and one
 * reader, so that every broker on kombu's layout writes and reads it alike.
 * <p>
 * What cannot be read (not JSON, a body that is not base64, fields of the wrong kind) is
 * not an exception: it is read as {@link WireMessage#unreadable(byte[], String) an
 * unreadable message} that keeps the stored bytes and the reason, so that the worker
 * moves it to the error queue and its consumer goes on.
 *
 * @author Celeriac team
 */
public final class KombuEnvelope {

	private static final Base64.Encoder ENCODER = Base64.getEncoder();

	private static final Base64.Decoder DECODER = Base64.getDecoder();

	private final JsonMapper mapper = JsonMapper.builder().build();

	/**
	 * Writes a message as kombu's envelope.
	 * @param message the message
	 * @param exchange the exchange it is published to
	 * @param routingKey its routing key
	 * @param moreProperties properties a transport adds after kombu's (kombu ignores
	 * them)
	 * @return the envelope's JSON
	 * @throws IllegalArgumentException if the headers cannot be written as JSON
	 */
	public byte[] write(WireMessage message, String exchange, String routingKey,
			Map<String, ? extends @Nullable Object> moreProperties) {
		Map<String, @Nullable Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", exchange);
		deliveryInfo.put("routing_key", routingKey);
		Map<String, @Nullable Object> properties = new LinkedHashMap<>();
		properties.put("correlation_id", message.correlationId());
		properties.put("reply_to", message.replyTo());
		properties.put("delivery_mode", message.persistent() ? 2 : 1);
		if (message.expiration() != null) {
			properties.put("expiration", message.expiration());
		}
		properties.put("delivery_info", deliveryInfo);
		properties.put("priority", message.priority());
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		properties.putAll(moreProperties);
		Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
		envelope.put("body", ENCODER.encodeToString(message.body()));
		envelope.put("content-encoding", message.contentEncoding());
		envelope.put("content-type", message.contentType());
		envelope.put("headers", message.headers());
		envelope.put("properties", properties);
		try {
			return this.mapper.writeValueAsBytes(envelope);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The message's headers cannot be written as JSON: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Reads kombu's envelope. Never throws: what cannot be read is an
	 * {@link WireMessage#unreadable(byte[], String) unreadable message}.
	 * @param json the envelope's JSON as stored
	 * @param bareJson how to read JSON that is not an envelope (no {@code properties})
	 * @return the message and what the envelope says of its delivery
	 */
	public Unpacked read(byte[] json, BareJson bareJson) {
		JsonNode root;
		try {
			root = this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			return unreadable(json, "it is not JSON (" + ex.getOriginalMessage() + ")");
		}
		if (root == null || !root.isObject() || !root.path("properties").isObject()) {
			if (bareJson == BareJson.BODY && root != null && !root.isMissingNode()) {
				// JSON not sent by kombu: kombu's SQS transport takes it whole as the
				// body
				return new Unpacked(
						new WireMessage(json, "application/json", "utf-8", Map.of(), null, null, 0, true, null), "", "",
						this.mapper.createObjectNode());
			}
			return unreadable(json, "it is JSON but not kombu's envelope (an object with 'properties')");
		}
		try {
			return envelope(root);
		}
		catch (IllegalArgumentException ex) {
			return unreadable(json, ex.getMessage());
		}
	}

	private Unpacked envelope(JsonNode root) {
		JsonNode properties = root.path("properties");
		JsonNode deliveryInfo = properties.path("delivery_info");
		String body = text(root.get("body"));
		byte[] bodyBytes;
		if (body == null) {
			bodyBytes = new byte[0];
		}
		else if ("base64".equals(text(properties.get("body_encoding")))) {
			try {
				bodyBytes = DECODER.decode(body);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"its body is not base64 as its body_encoding says (" + ex.getMessage() + ")", ex);
			}
		}
		else {
			bodyBytes = body.getBytes(StandardCharsets.UTF_8);
		}
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		JsonNode headerNode = root.path("headers");
		if (headerNode.isObject()) {
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> read = this.mapper.convertValue(headerNode, Map.class);
			headers.putAll(read);
		}
		else if (!headerNode.isMissingNode() && !headerNode.isNull()) {
			throw new IllegalArgumentException("its headers are not a JSON object");
		}
		JsonNode deliveryMode = properties.path("delivery_mode");
		boolean persistent = !deliveryMode.isNumber() || deliveryMode.asInt() == 2;
		JsonNode priorityNode = properties.path("priority");
		int priority = priorityNode.isNumber() ? priorityNode.asInt() : 0;
		WireMessage message = new WireMessage(bodyBytes, text(root.get("content-type")),
				text(root.get("content-encoding")), headers, text(properties.get("correlation_id")),
				text(properties.get("reply_to")), priority, persistent, text(properties.get("expiration")));
		String exchange = text(deliveryInfo.get("exchange"));
		String routingKey = text(deliveryInfo.get("routing_key"));
		return new Unpacked(message, (exchange != null) ? exchange : "", (routingKey != null) ? routingKey : "", root);
	}

	private Unpacked unreadable(byte[] json, @Nullable String reason) {
		return new Unpacked(
				WireMessage.unreadable(json,
						"The broker could not read the message stored as kombu's " + "envelope: " + reason),
				"", "", this.mapper.createObjectNode());
	}

	/**
	 * Returns the mapper the envelopes are read and written with, for a transport that
	 * changes a stored envelope.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	private static @Nullable String text(@Nullable JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		return node.isString() ? node.asString() : node.toString();
	}

	/**
	 * How to read JSON that is not kombu's envelope.
	 */
	public enum BareJson {

		/**
		 * As the message's body, with no headers (kombu's SQS transport does so).
		 */
		BODY,

		/**
		 * As an unreadable message.
		 */
		UNREADABLE

	}

	/**
	 * A message read from kombu's envelope.
	 *
	 * @param message the message ({@link WireMessage#unreadableReason()} says whether it
	 * could be read)
	 * @param exchange the exchange it was published to ({@code ""}: the default one, or
	 * unknown)
	 * @param routingKey the routing key it was published with, or {@code ""}
	 * @param envelope the envelope as read, for the properties a transport adds (empty
	 * when it could not be read)
	 */
	public record Unpacked(WireMessage message, String exchange, String routingKey, JsonNode envelope) {

		/**
		 * Returns a property of the envelope.
		 * @param name the property's name
		 * @return the property, or a missing node
		 */
		public JsonNode property(String name) {
			return this.envelope.path("properties").path(name);
		}

	}

}

package io.celeriac.broker.redis;

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
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link WireMessage} as kombu's Redis transport stores a message, and reads
 * what it stores: the JSON envelope {@code {"body", "content-encoding", "content-type",
 * "headers", "properties"}} whose {@code body} is base64
 * ({@code properties.body_encoding}) and whose {@code properties} carry
 * {@code delivery_tag}, {@code delivery_info} ({@code exchange}, {@code routing_key}),
 * {@code priority}, {@code correlation_id}, {@code reply_to} and {@code delivery_mode}.
 * <p>
 * Celeriac adds two properties that kombu ignores: {@code x-celeriac-expires-at} (epoch
 * milliseconds; kombu's Redis transport has no per-message TTL, and an AMQP
 * {@code expiration} is relative to an enqueue time it does not keep) and
 * {@code x-celeriac-returns} (the times the message came back unsettled, for
 * {@code celeriac.worker.max-deliveries}).
 *
 * @author Celeriac team
 */
final class RedisMessageCodec {

	static final String EXPIRES_AT = "x-celeriac-expires-at";

	static final String RETURNS = "x-celeriac-returns";

	private static final Base64.Encoder ENCODER = Base64.getEncoder();

	private static final Base64.Decoder DECODER = Base64.getDecoder();

	private final JsonMapper mapper = JsonMapper.builder().build();

	/**
	 * Writes a message as a kombu envelope.
	 * @param message the message
	 * @param exchange the exchange it is published to
	 * @param routingKey its routing key
	 * @param expiresAt when it expires (epoch milliseconds), or {@code Long.MAX_VALUE}
	 * @return the envelope's JSON
	 */
	byte[] encode(WireMessage message, String exchange, String routingKey, long expiresAt) {
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
		if (expiresAt != Long.MAX_VALUE) {
			properties.put(EXPIRES_AT, expiresAt);
		}
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
	 * Reads a kombu envelope; JSON that is not one (no {@code properties}) is taken whole
	 * as the body, as kombu does.
	 * @param payload the envelope's JSON
	 * @param queue the queue it was taken from (the routing key when it names none)
	 * @return the message and what the envelope says of its delivery
	 */
	Envelope decode(byte[] payload, String queue) {
		JsonNode root;
		try {
			root = this.mapper.readTree(payload);
		}
		catch (JacksonException ex) {
			root = null;
		}
		if (root == null || !root.isObject() || !root.path("properties").isObject()) {
			return new Envelope(
					new WireMessage(payload, "application/json", "utf-8", Map.of(), null, null, 0, true, null), "",
					queue, Long.MAX_VALUE, 0, false);
		}
		JsonNode properties = root.path("properties");
		JsonNode deliveryInfo = properties.path("delivery_info");
		String body = text(root.get("body"));
		byte[] bodyBytes;
		if (body == null) {
			bodyBytes = new byte[0];
		}
		else if ("base64".equals(text(properties.get("body_encoding")))) {
			bodyBytes = DECODER.decode(body);
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
		JsonNode deliveryMode = properties.path("delivery_mode");
		boolean persistent = !deliveryMode.isNumber() || deliveryMode.asInt() == 2;
		JsonNode priorityNode = properties.path("priority");
		int priority = priorityNode.isNumber() ? priorityNode.asInt() : 0;
		WireMessage message = new WireMessage(bodyBytes, text(root.get("content-type")),
				text(root.get("content-encoding")), headers, text(properties.get("correlation_id")),
				text(properties.get("reply_to")), priority, persistent, text(properties.get("expiration")));
		String exchange = text(deliveryInfo.get("exchange"));
		String routingKey = text(deliveryInfo.get("routing_key"));
		JsonNode expiresAt = properties.path(EXPIRES_AT);
		JsonNode returns = properties.path(RETURNS);
		boolean redelivered = deliveryInfo.path("redelivered").asBoolean(false)
				|| headerNode.path("redelivered").asBoolean(false);
		return new Envelope(message, (exchange != null) ? exchange : "",
				(routingKey != null && !routingKey.isEmpty()) ? routingKey : queue,
				expiresAt.isNumber() ? expiresAt.asLong() : Long.MAX_VALUE, returns.isNumber() ? returns.asLong() : 0,
				redelivered);
	}

	/**
	 * Marks an envelope redelivered as kombu's {@code _do_restore_message} does
	 * ({@code headers.redelivered} and {@code properties.delivery_info.redelivered}), and
	 * counts the return in {@code x-celeriac-returns}; every other field stays as it was
	 * written.
	 * @param payload the envelope's JSON
	 * @return the envelope to put back, or the payload unchanged when it is not a kombu
	 * envelope
	 */
	byte[] redelivered(byte[] payload) {
		JsonNode root;
		try {
			root = this.mapper.readTree(payload);
		}
		catch (JacksonException ex) {
			return payload;
		}
		if (!(root instanceof ObjectNode envelope) || !(envelope.get("properties") instanceof ObjectNode properties)) {
			return payload;
		}
		if (envelope.get("headers") instanceof ObjectNode headers) {
			headers.put("redelivered", true);
		}
		if (properties.get("delivery_info") instanceof ObjectNode deliveryInfo) {
			deliveryInfo.put("redelivered", true);
		}
		JsonNode returns = properties.path(RETURNS);
		properties.put(RETURNS, (returns.isNumber() ? returns.asLong() : 0) + 1);
		return this.mapper.writeValueAsBytes(envelope);
	}

	private static @Nullable String text(@Nullable JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		return node.isString() ? node.asString() : node.toString();
	}

	/**
	 * A message as read from a kombu envelope.
	 *
	 * @param message the message
	 * @param exchange the exchange it was published to ({@code ""}: the default one)
	 * @param routingKey the routing key it was published with
	 * @param expiresAt when it expires (epoch milliseconds), or {@code Long.MAX_VALUE}
	 * @param returns the times Celeriac gave it back unsettled
	 * @param redelivered whether it was given back before (by Celeriac or by kombu)
	 */
	record Envelope(WireMessage message, String exchange, String routingKey, long expiresAt, long returns,
			boolean redelivered) {

	}

}

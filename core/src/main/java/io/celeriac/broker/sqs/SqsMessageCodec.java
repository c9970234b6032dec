package io.celeriac.broker.sqs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link WireMessage} as the body of an SQS message exactly as kombu 5.2's SQS
 * transport does, and reads what that transport writes: the base64 text of a JSON
 * envelope {@code {"body", "content-encoding", "content-type", "headers", "properties"}}
 * whose {@code body} is itself base64 ({@code properties.body_encoding}) and whose
 * {@code properties.delivery_info} carries the exchange and routing key. Like kombu, the
 * reader also takes an envelope that is not base64, and a JSON body without envelope.
 *
 * @author Celeriac team
 */
final class SqsMessageCodec {

	private static final Base64.Encoder ENCODER = Base64.getEncoder();

	private static final Base64.Decoder DECODER = Base64.getDecoder();

	private final JsonMapper mapper = JsonMapper.builder().build();

	String encode(WireMessage message, String exchange, String routingKey) {
		Map<String, @Nullable Object> deliveryInfo = new LinkedHashMap<>();
		deliveryInfo.put("exchange", exchange);
		deliveryInfo.put("routing_key", routingKey);
		Map<String, @Nullable Object> properties = new LinkedHashMap<>();
		properties.put("correlation_id", message.correlationId());
		properties.put("reply_to", message.replyTo());
		properties.put("delivery_mode", message.persistent() ? 2 : 1);
		properties.put("priority", message.priority());
		if (message.expiration() != null) {
			properties.put("expiration", message.expiration());
		}
		properties.put("delivery_info", deliveryInfo);
		properties.put("body_encoding", "base64");
		properties.put("delivery_tag", UUID.randomUUID().toString());
		Map<String, @Nullable Object> envelope = new LinkedHashMap<>();
		envelope.put("body", ENCODER.encodeToString(message.body()));
		envelope.put("content-encoding", message.contentEncoding());
		envelope.put("content-type", message.contentType());
		envelope.put("headers", message.headers());
		envelope.put("properties", properties);
		try {
			return ENCODER.encodeToString(this.mapper.writeValueAsBytes(envelope));
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The message's headers cannot be written as JSON: " + ex.getMessage(),
					ex);
		}
	}

	Decoded decode(String sqsBody) {
		byte[] json = optionalBase64(sqsBody);
		Object parsed;
		try {
			parsed = this.mapper.readValue(json, Object.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The SQS message is not a kombu envelope (neither JSON nor base64 of "
					+ "JSON): " + abbreviate(sqsBody), ex);
		}
		if (!(parsed instanceof Map<?, ?> envelope) || !(envelope.get("properties") instanceof Map<?, ?> properties)) {
			// JSON not sent by kombu: kombu takes the whole text as the body
			return new Decoded(new WireMessage(json, "application/json", "utf-8", Map.of(), null, null, 0, true, null),
					"", "");
		}
		Map<?, ?> deliveryInfo = (properties.get("delivery_info") instanceof Map<?, ?> info) ? info : Map.of();
		Object body = envelope.get("body");
		byte[] bodyBytes;
		if (body == null) {
			bodyBytes = new byte[0];
		}
		else if ("base64".equals(properties.get("body_encoding"))) {
			bodyBytes = DECODER.decode(String.valueOf(body));
		}
		else {
			bodyBytes = String.valueOf(body).getBytes(StandardCharsets.UTF_8);
		}
		Map<String, @Nullable Object> headers = new LinkedHashMap<>();
		if (envelope.get("headers") instanceof Map<?, ?> map) {
			map.forEach((name, value) -> headers.put(String.valueOf(name), value));
		}
		Object deliveryMode = properties.get("delivery_mode");
		boolean persistent = !(deliveryMode instanceof Number mode) || mode.intValue() == 2;
		int priority = (properties.get("priority") instanceof Number number) ? number.intValue() : 0;
		WireMessage message = new WireMessage(bodyBytes, text(envelope.get("content-type")),
				text(envelope.get("content-encoding")), headers, text(properties.get("correlation_id")),
				text(properties.get("reply_to")), priority, persistent, text(properties.get("expiration")));
		String exchange = text(deliveryInfo.get("exchange"));
		String routingKey = text(deliveryInfo.get("routing_key"));
		return new Decoded(message, (exchange != null) ? exchange : "", (routingKey != null) ? routingKey : "");
	}

	/**
	 * Decodes base64 only where encoding the result gives the text back, as kombu's
	 * {@code _optional_b64_decode} does, so that plain JSON passes unchanged.
	 */
	private static byte[] optionalBase64(String text) {
		try {
			byte[] decoded = DECODER.decode(text);
			if (ENCODER.encodeToString(decoded).equals(text)) {
				return decoded;
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: plain JSON
		}
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static String abbreviate(String text) {
		return (text.length() > 80) ? text.substring(0, 80) + "..." : text;
	}

	/**
	 * A message read from SQS.
	 *
	 * @param message the message
	 * @param exchange the exchange it was published to, or empty
	 * @param routingKey the routing key it was published with, or empty
	 */
	record Decoded(WireMessage message, String exchange, String routingKey) {

	}

}

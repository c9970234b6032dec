package io.celeriac.broker.redis;

import java.util.Map;

import io.celeriac.broker.kombu.KombuEnvelope;
import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link WireMessage} as kombu's Redis transport stores a message (the JSON
 * {@link KombuEnvelope}, as it is, with no outer encoding), and reads what it stores. An
 * entry that is not kombu's envelope, or cannot be read, is read as an
 * {@link WireMessage#unreadable(byte[], String) unreadable message}.
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

	private final KombuEnvelope kombu = new KombuEnvelope();

	/**
	 * Writes a message as a kombu envelope.
	 * @param message the message
	 * @param exchange the exchange it is published to
	 * @param routingKey its routing key
	 * @param expiresAt when it expires (epoch milliseconds), or {@code Long.MAX_VALUE}
	 * @return the envelope's JSON
	 */
	byte[] encode(WireMessage message, String exchange, String routingKey, long expiresAt) {
		return this.kombu.write(message, exchange, routingKey,
				(expiresAt != Long.MAX_VALUE) ? Map.of(EXPIRES_AT, expiresAt) : Map.of());
	}

	/**
	 * Reads a kombu envelope; never throws (what cannot be read is an unreadable
	 * message).
	 * @param payload the envelope's JSON
	 * @param queue the queue it was taken from (the routing key when it names none)
	 * @return the message and what the envelope says of its delivery
	 */
	Envelope decode(byte[] payload, String queue) {
		KombuEnvelope.Unpacked read = this.kombu.read(payload, KombuEnvelope.BareJson.UNREADABLE);
		JsonNode expiresAt = read.property(EXPIRES_AT);
		JsonNode returns = read.property(RETURNS);
		boolean redelivered = read.property("delivery_info").path("redelivered").asBoolean(false)
				|| read.envelope().path("headers").path("redelivered").asBoolean(false);
		return new Envelope(read.message(), read.exchange(), read.routingKey().isEmpty() ? queue : read.routingKey(),
				expiresAt.isNumber() ? expiresAt.asLong() : Long.MAX_VALUE, returns.isNumber() ? returns.asLong() : 0,
				redelivered);
	}

	/**
	 * Returns when a message with an AMQP expiration published now expires.
	 * @param expiration the expiration in milliseconds, or {@code null}
	 * @return epoch milliseconds, or {@code Long.MAX_VALUE} for none
	 * @throws IllegalArgumentException if the expiration is not a number
	 */
	static long expiresAt(@Nullable String expiration) {
		if (expiration == null) {
			return Long.MAX_VALUE;
		}
		try {
			return System.currentTimeMillis() + Long.parseLong(expiration.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Expiration '" + expiration + "' is not a number of milliseconds");
		}
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
			root = this.kombu.mapper().readTree(payload);
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
		return this.kombu.mapper().writeValueAsBytes(envelope);
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

package io.celeriac.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message as a broker carries it: body bytes, the AMQP basic properties that Celery
 * uses, and the header table (values are {@code String}, {@code Integer}, {@code Long},
 * {@code Boolean}, {@code List} or {@code null}).
 *
 * @param body the body bytes
 * @param contentType the content type, e.g. {@code application/json}
 * @param contentEncoding the content encoding, e.g. {@code utf-8}
 * @param headers the header table, in order
 * @param correlationId the correlation id (the task id for a task message)
 * @param replyTo the reply-to address
 * @param priority the priority
 * @param persistent whether the broker should write the message to disk (delivery mode 2)
 * @param expiration the per-message TTL in milliseconds, or {@code null}
 * @author Celeriac team
 */
public record WireMessage(byte[] body, @Nullable String contentType, @Nullable String contentEncoding,
		Map<String, @Nullable Object> headers, @Nullable String correlationId, @Nullable String replyTo, int priority,
		boolean persistent, @Nullable String expiration) {

	/**
	 * Header of a message a broker could not read: why.
	 */
	public static final String UNREADABLE_HEADER = "x-celeriac-unreadable";

	public WireMessage {
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
	}

	/**
	 * Returns a copy with more headers, put after the existing ones (replacing any of the
	 * same name).
	 * @param more the headers to add
	 * @return the new message
	 */
	public WireMessage withHeaders(Map<String, ? extends @Nullable Object> more) {
		Map<String, @Nullable Object> merged = new LinkedHashMap<>(this.headers);
		merged.putAll(more);
		return new WireMessage(this.body, this.contentType, this.contentEncoding, merged, this.correlationId,
				this.replyTo, this.priority, this.persistent, this.expiration);
	}

	/**
	 * Returns a message that a broker took but could not read (e.g. a stored entry that
	 * is not JSON), so that it is handled as a message that cannot be run (moved to the
	 * error queue with the reason) rather than dropped or taken again and again.
	 * @param stored the bytes as the broker stored them, kept as the body
	 * @param reason why it could not be read
	 * @return the message
	 */
	public static WireMessage unreadable(byte[] stored, String reason) {
		return new WireMessage(stored, "application/octet-stream", "binary", Map.of(UNREADABLE_HEADER, reason), null,
				null, 0, true, null);
	}

	/**
	 * Returns why a broker could not read this message.
	 * @return the reason, or {@code null} for a message that was read
	 * @see #unreadable(byte[], String)
	 */
	public @Nullable String unreadableReason() {
		Object reason = this.headers.get(UNREADABLE_HEADER);
		return (reason != null) ? reason.toString() : null;
	}

}

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

}

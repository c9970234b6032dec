package io.celeriac.errorqueue;

import io.celeriac.protocol.WireMessage;
import org.jspecify.annotations.Nullable;

/**
 * A message in an error queue, with why it is there.
 *
 * @param taskId the task id (the correlation id), or {@code null} for a message that had
 * none
 * @param task the task name, or {@code null}
 * @param kind the {@link io.celeriac.protocol.ErrorKind} name
 * @param reason a sentence saying what went wrong
 * @param exception the exception's class name, or {@code null}
 * @param stackTrace the exception's stack trace, or {@code null}
 * @param attempts how many attempts ran, or {@code null} if it never ran
 * @param firstFailure when the first attempt failed (ISO 8601), or {@code null}
 * @param lastFailure when the last attempt failed (ISO 8601), or {@code null}
 * @param routingKey the routing key it was published with
 * @param message the message itself
 * @author Celeriac team
 */
public record ErrorQueueMessage(@Nullable String taskId, @Nullable String task, String kind, String reason,
		@Nullable String exception, @Nullable String stackTrace, @Nullable Integer attempts,
		@Nullable String firstFailure, @Nullable String lastFailure, String routingKey, WireMessage message) {

	static ErrorQueueMessage of(WireMessage message) {
		var headers = message.headers();
		Object attempts = headers.get(ErrorHeaders.ATTEMPTS);
		Object task = headers.get("task");
		return new ErrorQueueMessage(message.correlationId(), (task != null) ? task.toString() : null,
				text(headers.get(ErrorHeaders.KIND), "UNKNOWN"), text(headers.get(ErrorHeaders.REASON), ""),
				textOrNull(headers.get(ErrorHeaders.EXCEPTION)), textOrNull(headers.get(ErrorHeaders.STACK_TRACE)),
				(attempts instanceof Number number) ? number.intValue() : null,
				textOrNull(headers.get(ErrorHeaders.FIRST_FAILURE)), textOrNull(headers.get(ErrorHeaders.LAST_FAILURE)),
				text(headers.get(ErrorHeaders.ROUTING_KEY), ""), message);
	}

	private static String text(@Nullable Object value, String fallback) {
		return (value != null) ? value.toString() : fallback;
	}

	private static @Nullable String textOrNull(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

}

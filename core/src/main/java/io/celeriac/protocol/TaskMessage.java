package io.celeriac.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A Celery protocol v2 task message: headers, body and the AMQP properties Celery sets.
 *
 * @param headers the application headers
 * @param body the arguments and workflow options
 * @param replyTo the id of the publishing application (Celery always sets it)
 * @param priority the message priority (Celery always sends one, 0 by default)
 * @param expiration the per-message TTL in milliseconds as a decimal string, set only
 * when the task expires, or {@code null}
 * @author Celeriac team
 */
public record TaskMessage(TaskHeaders headers, TaskBody body, String replyTo, int priority,
		@Nullable String expiration) {

	/**
	 * Returns the task id.
	 * @return the id header
	 */
	public String id() {
		return this.headers.id();
	}

	/**
	 * Returns the task name.
	 * @return the task header
	 */
	public String task() {
		return this.headers.task();
	}

}

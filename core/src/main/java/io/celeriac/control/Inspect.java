package io.celeriac.control;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Asks workers questions, as Celery's {@code app.control.inspect()}: each method
 * broadcasts a command, collects the replies until the timeout (or until every named
 * worker replied), and returns them by worker name, e.g. {@code {"celery@host": {"ok":
 * "pong"}}}. A worker that did not reply in time is absent.
 *
 * @author Celeriac team
 */
public class Inspect {

	private final WorkerControl control;

	private final @Nullable List<String> destination;

	private final Duration timeout;

	Inspect(WorkerControl control, @Nullable List<String> destination, Duration timeout) {
		this.control = control;
		this.destination = destination;
		this.timeout = timeout;
	}

	/**
	 * Pings the workers.
	 * @return {@code {"ok": "pong"}} by worker name
	 */
	public Map<String, Map<String, Object>> ping() {
		return typed("ping", Map.of());
	}

	/**
	 * Lists the tasks the workers run now.
	 * @return the tasks ({@code id}, {@code name}, {@code args}, {@code kwargs},
	 * {@code hostname}, {@code time_start}, ...) by worker name
	 */
	public Map<String, List<Map<String, Object>>> active() {
		return typed("active", Map.of());
	}

	/**
	 * Lists the tasks the workers hold and have not started.
	 * @return the tasks by worker name
	 */
	public Map<String, List<Map<String, Object>>> reserved() {
		return typed("reserved", Map.of());
	}

	/**
	 * Lists the tasks the workers hold for their {@code eta}.
	 * @return the tasks by worker name
	 */
	public Map<String, List<Map<String, Object>>> scheduled() {
		return typed("scheduled", Map.of());
	}

	/**
	 * Lists the tasks the workers can run.
	 * @return the task names by worker name
	 */
	public Map<String, List<String>> registered() {
		return typed("registered", Map.of());
	}

	/**
	 * Lists the queues the workers consume.
	 * @return the queues (kombu's {@code Queue.as_dict}) by worker name
	 */
	public Map<String, List<Map<String, Object>>> activeQueues() {
		return typed("active_queues", Map.of());
	}

	/**
	 * Lists the ids the workers hold as revoked.
	 * @return the ids by worker name
	 */
	public Map<String, List<String>> revoked() {
		return typed("revoked", Map.of());
	}

	/**
	 * Returns the workers' statistics.
	 * @return the statistics by worker name
	 */
	public Map<String, Map<String, Object>> stats() {
		return typed("stats", Map.of());
	}

	/**
	 * Returns the workers' configuration.
	 * @return the settings by worker name
	 */
	public Map<String, Map<String, Object>> conf() {
		return typed("conf", Map.of("with_defaults", false));
	}

	@SuppressWarnings("unchecked")
	private <T> Map<String, T> typed(String method, Map<String, ?> arguments) {
		Map<String, T> replies = new LinkedHashMap<>();
		this.control.broadcast(method, arguments, this.destination, this.timeout)
			.forEach((node, reply) -> replies.put(node, (T) reply));
		return replies;
	}

}

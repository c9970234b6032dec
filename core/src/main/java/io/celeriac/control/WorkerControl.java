package io.celeriac.control;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Sends Celery's remote control commands to the workers, Python and Java alike, as
 * Celery's {@code app.control} does: {@link #inspect()} asks questions and collects the
 * replies until a timeout, {@link #revoke(String, boolean)} revokes a task on every
 * worker.
 *
 * <pre class="code">
 * Map&lt;String, Map&lt;String, Object&gt;&gt; pongs = control.inspect().ping();
 * control.revoke(taskId, true);
 * </pre>
 *
 * @author Celeriac team
 */
public class WorkerControl {

	private final Mailbox mailbox;

	private final Duration timeout;

	/**
	 * Creates the control.
	 * @param mailbox the mailbox commands go through
	 * @param timeout how long replies are collected by default (Celery's is one second)
	 */
	public WorkerControl(Mailbox mailbox, Duration timeout) {
		this.mailbox = mailbox;
		this.timeout = timeout;
	}

	/**
	 * Returns the inspection of every worker with the default timeout.
	 * @return the inspection
	 */
	public Inspect inspect() {
		return new Inspect(this, null, this.timeout);
	}

	/**
	 * Returns the inspection of the named workers, or every worker.
	 * @param destination the workers' names, or {@code null} (or empty) for every worker
	 * @param timeout how long replies are collected
	 * @return the inspection
	 */
	public Inspect inspect(@Nullable List<String> destination, Duration timeout) {
		return new Inspect(this, destination, timeout);
	}

	/**
	 * Revokes a task on every worker, as Celery's {@code control.revoke} (and
	 * {@code AsyncResult.revoke}): no worker that receives the command starts it, and
	 * with {@code terminate} the one running it is interrupted. No reply is awaited.
	 * @param taskId the task id
	 * @param terminate whether to interrupt it where it runs
	 */
	public void revoke(String taskId, boolean terminate) {
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		arguments.put("task_id", taskId);
		arguments.put("terminate", terminate);
		arguments.put("signal", "SIGTERM");
		this.mailbox.cast(ControlMessage.of("revoke", arguments, null));
	}

	/**
	 * Sets a task's rate limit on the workers, as Celery's {@code control.rate_limit}.
	 * @param taskName the task's name
	 * @param rateLimit Celery's rate string, e.g. {@code 10/m}
	 * @return each worker's reply by name
	 */
	public Map<String, @Nullable Object> rateLimit(String taskName, String rateLimit) {
		return broadcast("rate_limit", Map.of("task_name", taskName, "rate_limit", rateLimit), null, this.timeout);
	}

	/**
	 * Tells the workers to consume one more queue, as Celery's
	 * {@code control.add_consumer}.
	 * @param queue the queue's full name
	 * @param destination the workers' names, or {@code null} for every worker
	 * @return each worker's reply by name
	 */
	public Map<String, @Nullable Object> addConsumer(String queue, @Nullable List<String> destination) {
		return broadcast("add_consumer", Map.of("queue", queue), destination, this.timeout);
	}

	/**
	 * Tells the workers to stop consuming a queue, as Celery's
	 * {@code control.cancel_consumer}.
	 * @param queue the queue's full name
	 * @param destination the workers' names, or {@code null} for every worker
	 * @return each worker's reply by name
	 */
	public Map<String, @Nullable Object> cancelConsumer(String queue, @Nullable List<String> destination) {
		return broadcast("cancel_consumer", Map.of("queue", queue), destination, this.timeout);
	}

	/**
	 * Tells the named workers to shut down, as Celery's {@code control.shutdown}. A
	 * Celeriac worker obeys only with {@code celeriac.control.shutdown-enabled=true} (and
	 * then does not reply, as Celery's workers do not).
	 * @param destination the workers' names
	 */
	public void shutdown(List<String> destination) {
		this.mailbox.cast(ControlMessage.of("shutdown", Map.of(), destination));
	}

	/**
	 * Broadcasts a command and collects the replies by worker name, as Celery's
	 * {@code control.broadcast(reply=True)} flattened.
	 * @param method the command
	 * @param arguments its keyword arguments
	 * @param destination the workers' names, or {@code null} for every worker
	 * @param timeout how long replies are collected
	 * @return each worker's reply by name
	 */
	public Map<String, @Nullable Object> broadcast(String method, Map<String, ?> arguments,
			@Nullable List<String> destination, Duration timeout) {
		int limit = (destination != null) ? destination.size() : 0;
		List<Map<String, @Nullable Object>> replies = this.mailbox
			.call(ControlMessage.of(method, arguments, destination), timeout, limit);
		Map<String, @Nullable Object> byNode = new LinkedHashMap<>();
		replies.forEach(byNode::putAll);
		return byNode;
	}

}

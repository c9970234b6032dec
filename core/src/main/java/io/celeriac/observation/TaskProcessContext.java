package io.celeriac.observation;

import io.celeriac.protocol.TaskMessage;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * The {@link ReceiverContext} of running a task on a worker. Its carrier is the task
 * message: a tracing handler reads the propagation headers (W3C {@code traceparent},
 * {@code tracestate}, baggage) from the message's headers and continues that trace, or
 * starts a new one when there are none (a message from Python Celery without
 * OpenTelemetry) or they cannot be read.
 *
 * @author Celeriac team
 */
public class TaskProcessContext extends ReceiverContext<TaskMessage> {

	private final TaskMessage task;

	/**
	 * Creates a context.
	 * @param task the task about to run
	 */
	public TaskProcessContext(TaskMessage task) {
		super((carrier, key) -> {
			Object value = carrier.headers().extra().get(key);
			return (value != null) ? value.toString() : null;
		});
		setCarrier(task);
		this.task = task;
	}

	/**
	 * Returns the task.
	 * @return the task message
	 */
	public TaskMessage getTask() {
		return this.task;
	}

}

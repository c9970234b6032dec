package io.celeriac.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SenderContext} of publishing a task. Its carrier is the map of headers that
 * the task message gets: a tracing handler writes the propagation headers (W3C
 * {@code traceparent}, {@code tracestate}, baggage) into it when the observation starts,
 * and the client copies them into the message.
 *
 * @author Celeriac team
 */
public class TaskPublishContext extends SenderContext<Map<String, Object>> {

	private final String taskName;

	private final String exchange;

	private final String routingKey;

	private @Nullable String taskId;

	/**
	 * Creates a context.
	 * @param taskName the task's name
	 * @param exchange the exchange it is published to
	 * @param routingKey its routing key
	 */
	public TaskPublishContext(String taskName, String exchange, String routingKey) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		setCarrier(new LinkedHashMap<>());
		this.taskName = taskName;
		this.exchange = exchange;
		this.routingKey = routingKey;
	}

	/**
	 * Returns the headers written by the observation's handlers so far.
	 * @return the headers, never {@code null}
	 */
	public Map<String, Object> headers() {
		Map<String, Object> carrier = getCarrier();
		return (carrier != null) ? carrier : Map.of();
	}

	/**
	 * Returns the task's name.
	 * @return the name
	 */
	public String getTaskName() {
		return this.taskName;
	}

	/**
	 * Returns the exchange the task is published to.
	 * @return the exchange
	 */
	public String getExchange() {
		return this.exchange;
	}

	/**
	 * Returns the task's routing key.
	 * @return the routing key
	 */
	public String getRoutingKey() {
		return this.routingKey;
	}

	/**
	 * Returns the task's id, known once the message is built.
	 * @return the id, or {@code null} before the message is built
	 */
	public @Nullable String getTaskId() {
		return this.taskId;
	}

	/**
	 * Sets the task's id.
	 * @param taskId the id
	 */
	public void setTaskId(String taskId) {
		this.taskId = taskId;
	}

}

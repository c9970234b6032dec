package io.celeriac.autoconfigure.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Celery's event stream: the task and worker events that Celery's {@code EventReceiver},
 * {@code celery events} and Flower read.
 * <p>
 * Bound to {@code celeriac.events.*}.
 *
 * @author Celeriac team
 */
@ConfigurationProperties("celeriac.events")
public class EventsProperties {

	/**
	 * Whether the worker sends Celery's task events (task-received, task-started,
	 * task-succeeded, task-failed, task-retried, task-revoked) and worker events
	 * (worker-online, worker-heartbeat, worker-offline), as Celery's
	 * worker_send_task_events (celery worker -E) does. Needs the RabbitMQ (or in-memory)
	 * broker.
	 */
	private boolean enabled;

	/**
	 * Whether producers send task-sent when the broker confirms a task's publish, as
	 * Celery's task_send_sent_event does.
	 */
	private boolean taskSent;

	/**
	 * The topic exchange events are published to, Celery's event_exchange.
	 */
	private String exchange = "celeryev";

	/**
	 * How often the worker sends worker-heartbeat; Celery's State counts a worker alive
	 * for twice this after its last heartbeat.
	 */
	private Duration heartbeatInterval = Duration.ofSeconds(2);

	/**
	 * How many events may wait to be published; when the broker is slow or down, further
	 * events are dropped (events are best-effort, tasks never wait for them).
	 */
	private int bufferSize = 10_000;

	/**
	 * How long an event waits in a receiver's queue before RabbitMQ drops it, Celery's
	 * event_queue_ttl.
	 */
	private Duration queueTtl = Duration.ofSeconds(5);

	/**
	 * How long a receiver's queue outlives its consumer, Celery's event_queue_expires.
	 */
	private Duration queueExpires = Duration.ofSeconds(60);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isTaskSent() {
		return this.taskSent;
	}

	public void setTaskSent(boolean taskSent) {
		this.taskSent = taskSent;
	}

	public String getExchange() {
		return this.exchange;
	}

	public void setExchange(String exchange) {
		this.exchange = exchange;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
	}

	public int getBufferSize() {
		return this.bufferSize;
	}

	public void setBufferSize(int bufferSize) {
		this.bufferSize = bufferSize;
	}

	public Duration getQueueTtl() {
		return this.queueTtl;
	}

	public void setQueueTtl(Duration queueTtl) {
		this.queueTtl = queueTtl;
	}

	public Duration getQueueExpires() {
		return this.queueExpires;
	}

	public void setQueueExpires(Duration queueExpires) {
		this.queueExpires = queueExpires;
	}

}

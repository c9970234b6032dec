package io.celeriac.events;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.celeriac.execution.TaskInterceptor;
import io.celeriac.execution.TaskLifecycleListener;
import io.celeriac.protocol.CeleryProtocol;
import io.celeriac.protocol.TaskHeaders;
import io.celeriac.protocol.TaskMessage;
import io.celeriac.topology.Topology;
import io.celeriac.worker.ErrorQueue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Sends Celery's task events from a task's lifecycle, with the fields and types Celery
 * 5.2.6 sends: {@code task-sent} when the producer's publish is confirmed (Celery's
 * {@code task_send_sent_event}), and on the worker (Celery's
 * {@code worker_send_task_events}) {@code task-received} when it takes a task (one parked
 * for its {@code eta}: when it comes back due), {@code task-started} right before it
 * runs, {@code task-succeeded} with the result's {@code repr} and the runtime in seconds,
 * {@code task-failed} and {@code task-retried} with the exception's {@code repr} and the
 * stack trace, {@code task-revoked} for a task that had expired, was revoked or was
 * terminated, and {@code task-rejected} for a message the worker moved to the error queue
 * without running it or handed back to the broker. Arguments travel as Celery sends them,
 * as the {@code argsrepr} and {@code kwargsrepr} strings.
 * <p>
 * It is both a {@link TaskLifecycleListener} and a {@link TaskInterceptor} (which times
 * the run and sees its result); it also counts the tasks running and run, for the
 * heartbeat's {@code active} and {@code processed}.
 *
 * @author Celeriac team
 */
public class TaskEvents implements TaskLifecycleListener, TaskInterceptor {

	private final @Nullable EventDispatcher producer;

	private final @Nullable EventDispatcher worker;

	private final Topology topology;

	private final ObjectMapper mapper;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicLong processed = new AtomicLong();

	/**
	 * What each task returned, by task id, until its outcome is recorded: the worker
	 * tells the listeners once the outcome is recorded, on another thread than the one
	 * that ran the task.
	 */
	private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

	/**
	 * Creates the events of a process.
	 * @param producer sends {@code task-sent}, or {@code null} not to send it
	 * @param worker sends the worker's task events, or {@code null} not to send them
	 * @param topology names the exchange and queues of {@code task-sent}
	 * @param mapper renders task results as JSON before their {@code repr}
	 */
	public TaskEvents(@Nullable EventDispatcher producer, @Nullable EventDispatcher worker, Topology topology,
			ObjectMapper mapper) {
		this.producer = producer;
		this.worker = worker;
		this.topology = topology;
		this.mapper = mapper;
	}

	/**
	 * Returns how many tasks run now (the heartbeat's {@code active}).
	 * @return the count
	 */
	public int active() {
		return this.active.get();
	}

	/**
	 * Returns how many tasks this worker started since it was created (the heartbeat's
	 * {@code processed}, Celery's {@code all_total_count}).
	 * @return the count
	 */
	public long processed() {
		return this.processed.get();
	}

	@Override
	public void onPush(TaskMessage task, String routingKey) {
		if (this.producer == null) {
			return;
		}
		TaskHeaders headers = task.headers();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", task.id());
		fields.put("root_id", headers.rootId());
		fields.put("parent_id", headers.parentId());
		fields.put("name", task.task());
		fields.put("args", headers.argsrepr());
		fields.put("kwargs", headers.kwargsrepr());
		fields.put("retries", headers.retries());
		fields.put("eta", headers.eta());
		fields.put("expires", headers.expires());
		fields.put("queue", this.topology.queueName(routingKey));
		fields.put("exchange", this.topology.exchange());
		fields.put("routing_key", routingKey);
		this.producer.send("task-sent", fields);
	}

	/**
	 * Sends {@code task-received}. A task parked for its {@code eta} is received when it
	 * comes back due, not when it is parked: it is parked by any worker and taken again
	 * by any other, and Celery's {@code State} counts each {@code task-received} as a
	 * task.
	 */
	@Override
	public void onPop(TaskMessage task) {
		if (this.worker == null) {
			return;
		}
		TaskHeaders headers = task.headers();
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", task.id());
		fields.put("name", task.task());
		fields.put("args", headers.argsrepr());
		fields.put("kwargs", headers.kwargsrepr());
		fields.put("root_id", headers.rootId());
		fields.put("parent_id", headers.parentId());
		fields.put("retries", headers.retries());
		fields.put("eta", headers.eta());
		fields.put("expires", headers.expires());
		this.worker.send("task-received", fields);
	}

	@Override
	public @Nullable Object intercept(TaskMessage task, Invocation invocation) throws Throwable {
		this.outcomes.remove(task.id());
		this.processed.incrementAndGet();
		this.active.incrementAndGet();
		try {
			if (this.worker != null) {
				this.worker.send("task-started", Map.of("uuid", task.id()));
			}
			long started = System.nanoTime();
			Object result = invocation.proceed();
			this.outcomes.put(task.id(), new Outcome(task.id(), result, Duration.ofNanos(System.nanoTime() - started)));
			return result;
		}
		finally {
			this.active.decrementAndGet();
		}
	}

	@Override
	public void onComplete(TaskMessage task) {
		Outcome done = this.outcomes.remove(task.id());
		if (this.worker == null) {
			return;
		}
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", task.id());
		boolean known = done != null && done.taskId().equals(task.id());
		fields.put("result", known ? repr(done.result()) : "None");
		fields.put("runtime", known ? done.runtime().toNanos() / 1e9 : 0.0);
		this.worker.send("task-succeeded", fields);
	}

	@Override
	public void onRetry(TaskMessage task, Throwable exception, Duration delay) {
		failure("task-retried", task, exception);
	}

	@Override
	public void onError(TaskMessage task, @Nullable Throwable exception) {
		failure("task-failed", task, exception);
	}

	@Override
	public void onExpire(TaskMessage task) {
		revoked(task, false, true);
	}

	/**
	 * Sends {@code task-revoked}. A terminated task's {@code signum} is {@code null}: the
	 * worker interrupts the task's thread, it sends no signal.
	 */
	@Override
	public void onRevoke(TaskMessage task, boolean terminated) {
		revoked(task, terminated, false);
	}

	@Override
	public void onReject(String taskId, @Nullable TaskMessage task, boolean requeue) {
		this.outcomes.remove(taskId);
		if (this.worker == null) {
			return;
		}
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", taskId);
		fields.put("requeue", requeue);
		this.worker.send("task-rejected", fields);
	}

	private void revoked(TaskMessage task, boolean terminated, boolean expired) {
		this.outcomes.remove(task.id());
		if (this.worker == null) {
			return;
		}
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", task.id());
		fields.put("terminated", terminated);
		fields.put("signum", null);
		fields.put("expired", expired);
		this.worker.send("task-revoked", fields);
	}

	private void failure(String type, TaskMessage task, @Nullable Throwable exception) {
		this.outcomes.remove(task.id());
		if (this.worker == null) {
			return;
		}
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("uuid", task.id());
		fields.put("exception", exceptionRepr(exception));
		fields.put("traceback", (exception != null) ? ErrorQueue.stackTrace(exception) : "");
		this.worker.send(type, fields);
	}

	/**
	 * Renders an exception as Python's {@code repr} of an exception:
	 * {@code IllegalStateException('the message')}.
	 * @param exception the exception, or {@code null}
	 * @return the rendering
	 */
	static String exceptionRepr(@Nullable Throwable exception) {
		if (exception == null) {
			return "None";
		}
		String message = exception.getMessage();
		return exception.getClass().getSimpleName() + "("
				+ ((message != null) ? CeleryProtocol.pythonRepr(StringNode.valueOf(message)) : "") + ")";
	}

	private String repr(@Nullable Object result) {
		if (result == null) {
			return "None";
		}
		try {
			return CeleryProtocol.pythonRepr(this.mapper.valueToTree(result));
		}
		catch (RuntimeException ex) {
			return String.valueOf(result);
		}
	}

	private record Outcome(String taskId, @Nullable Object result, Duration runtime) {
	}

}
